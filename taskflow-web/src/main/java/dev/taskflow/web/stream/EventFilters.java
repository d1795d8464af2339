package dev.taskflow.web.stream;

import dev.taskflow.EventFilter;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The one event filter syntax of the API, read here for both transports: the query of SSE's {@code
 * GET /events} and the {@code filter} object of a WebSocket {@code subscribe}. Each transport only
 * hands over the strings it was given, with where they were; every rule is applied here, once.
 *
 * <ul>
 *   <li>{@code type}: event types, each a name or a prefix ending in {@code *} ({@code job.*});
 *       repeatable, and each value may list several separated by commas. {@code types} is accepted
 *       as an alias (the WebSocket's spelling before the two were one). At most {@value
 *       EventFilter#MAX_TYPES} distinct types.
 *   <li>{@code jobId} (a UUID in full 8-4-4-4-12 form), {@code jobType}, {@code queue}, {@code
 *       owner}: exact matches, each given once.
 *   <li>An empty value counts as absent. A control character or an unpaired surrogate is refused:
 *       no event can carry it, so the filter could never match.
 * </ul>
 *
 * Refusals are 422 problems whose error names the query parameter (SSE) or the JSON pointer
 * (WebSocket) of the value.
 */
final class EventFilters {
  /** The one spelling of the types field. */
  static final String TYPE = "type";

  /** The accepted alias of {@link #TYPE}. */
  static final String TYPE_ALIAS = "types";

  /** Every field a filter takes, the alias included. */
  static final Set<String> FIELDS = Set.of(TYPE, TYPE_ALIAS, "jobId", "jobType", "queue", "owner");

  private EventFilters() {}

  /** Whether errors name query parameters or JSON pointers. */
  enum Where {
    PARAMETER,
    POINTER
  }

  /** One value as given, and where: a parameter name or a pointer. */
  record Value(String text, String at) {}

  /** One field as the client spelled it, where it was, and its values. */
  record Given(String name, String at, List<Value> values) {}

  /**
   * The filter the fields describe.
   *
   * @throws Problem 422 naming the first value that breaks a rule
   */
  static EventFilter parse(List<Given> fields, Where where) {
    Set<String> types = new LinkedHashSet<>();
    String typesAt = null;
    UUID jobId = null;
    String jobType = null;
    String queue = null;
    String owner = null;
    for (Given g : fields) {
      switch (g.name()) {
        case TYPE, TYPE_ALIAS -> {
          if (typesAt == null) typesAt = g.at();
          for (Value v : g.values()) {
            for (String part : v.text().split(",")) {
              String t = part.strip();
              if (t.isEmpty()) continue;
              if (!printable(t)) {
                throw refuse(
                    where, v.at(), "control_character", "an event type holds no control character");
              }
              types.add(t);
            }
          }
        }
        case "jobId" -> {
          String raw = single(g, where);
          if (raw != null) {
            jobId = Params.uuid(raw);
            if (jobId == null) {
              throw refuse(
                  where,
                  g.at(),
                  "invalid",
                  "jobId must be a UUID such as 0190a4c2-7b1e-7c3d-8e9f-0a1b2c3d4e5f, was '"
                      + ProblemMapper.shorten(raw)
                      + "'");
            }
          }
        }
        case "jobType" -> jobType = text(g, where);
        case "queue" -> queue = text(g, where);
        case "owner" -> owner = text(g, where);
        default ->
            throw refuse(
                where,
                g.at(),
                where == Where.POINTER ? "unknown_field" : "unknown_parameter",
                "unknown filter field '"
                    + ProblemMapper.shorten(g.name())
                    + "'; a filter takes "
                    + FieldError.listed(FIELDS));
      }
    }
    if (types.size() > EventFilter.MAX_TYPES) { // distinct types: what the filter holds
      throw refuse(
          where,
          typesAt,
          "max_items",
          "an event filter takes at most " + EventFilter.MAX_TYPES + " types, got " + types.size());
    }
    return new EventFilter(jobId, types, jobType, queue, owner);
  }

  /** The filter of an SSE request's query: each field's values, by parameter name. */
  static EventFilter fromQuery(io.javalin.http.Context ctx) {
    List<Given> fields = new ArrayList<>();
    for (String name : List.of(TYPE, TYPE_ALIAS, "jobId", "jobType", "queue", "owner")) {
      List<String> values = ctx.queryParams(name);
      if (values.isEmpty()) continue;
      fields.add(new Given(name, name, values.stream().map(v -> new Value(v, name)).toList()));
    }
    return parse(fields, Where.PARAMETER);
  }

  /** An exact-match field: one printable value, or null when absent or empty. */
  private static String text(Given g, Where where) {
    String v = single(g, where);
    if (v == null) return null;
    if (!printable(v)) {
      throw refuse(
          where,
          g.at(),
          "control_character",
          g.name() + " holds a control character or an unpaired surrogate; no event can match it");
    }
    return v;
  }

  private static String single(Given g, Where where) {
    List<Value> values = new ArrayList<>(g.values());
    if (values.size() > 1) {
      throw refuse(
          where, g.at(), "repeated", g.name() + " may be given once, was given " + values.size());
    }
    return values.isEmpty() || values.getFirst().text().isEmpty() ? null : values.getFirst().text();
  }

  /** No C0/C1 control characters, DEL or unpaired surrogates (they cannot be echoed intact). */
  static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Problem refuse(Where where, String at, String code, String message) {
    return Problem.invalid(
        where == Where.PARAMETER
            ? FieldError.param(at, code, message)
            : FieldError.at(at, code, message));
  }
}
