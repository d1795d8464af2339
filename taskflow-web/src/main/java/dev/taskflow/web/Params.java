package dev.taskflow.web;

import dev.taskflow.JobEvent;
import dev.taskflow.TaskFlowClient;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Path and query parameters, checked: an unknown query parameter, a repeated single one, a NUL
 * character or a value of the wrong form is a 422 naming the parameter; a malformed job id is a 404
 * (no job can have it).
 */
public final class Params {
  private static final Pattern UUID_FORM =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Params() {}

  /**
   * The {@code {id}} path parameter of a job.
   *
   * @throws Problem 404 when it is not a UUID, so a malformed id answers like an unknown one
   */
  public static UUID jobId(Context ctx) {
    return pathId(ctx, "job");
  }

  /**
   * The {@code {id}} path parameter of a {@code what} (job, batch, webhook), read by {@link #uuid}:
   * every route answers a malformed id the same way, a 404 naming it as given.
   *
   * @throws Problem 404 on parameter {@code id} when it is not a UUID in full form
   */
  public static UUID pathId(Context ctx, String what) {
    String raw = ctx.pathParam("id");
    UUID id = uuid(raw);
    if (id != null) return id;
    throw Problem.notFound(
        "id",
        "no "
            + what
            + " with id '"
            + ProblemMapper.shorten(raw)
            + "': "
            + what
            + " ids are UUIDs such as 0190a4c2-7b1e-7c3d-8e9f-0a1b2c3d4e5f");
  }

  /**
   * The one strict reading of a UUID in the HTTP API and the dashboard: exactly the 8-4-4-4-12 hex
   * form, so {@code 1-1-1-1-1} (which {@link UUID#fromString} accepts as {@code
   * 00000001-0001-0001-0001-000000000001}) is no id on any route.
   *
   * @return the UUID, or null when {@code raw} is not one
   */
  public static UUID uuid(String raw) {
    return raw != null && UUID_FORM.matcher(raw).matches() ? UUID.fromString(raw) : null;
  }

  /** Refuses query parameters outside {@code allowed}. */
  public static void allowOnly(Context ctx, Set<String> allowed) {
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        errors.add(
            FieldError.param(
                ProblemMapper.shorten(e.getKey()),
                "unknown_parameter",
                "unknown query parameter; this route takes " + String.join(", ", sorted(allowed))));
      }
      for (String v : e.getValue()) {
        if (v.indexOf('\0') >= 0) {
          errors.add(
              FieldError.param(
                  ProblemMapper.shorten(e.getKey()), "nul_character", "the value contains a NUL"));
        }
      }
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
  }

  /** A parameter given at most once; null when absent or empty. */
  public static String single(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw Problem.invalid(
          FieldError.param(
              name, "repeated", name + " may be given once, was given " + values.size()));
    }
    return values.isEmpty() || values.getFirst().isEmpty() ? null : values.getFirst();
  }

  /** A parameter that may repeat or hold a comma-separated list; empty when absent. */
  public static Set<String> many(Context ctx, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : ctx.queryParams(name)) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) out.add(part.trim());
      }
    }
    return out;
  }

  /** An integer parameter within {@code min..max}, or {@code dflt} when absent. */
  public static int intInRange(Context ctx, String name, int min, int max, int dflt) {
    String raw = single(ctx, name);
    if (raw == null) return dflt;
    try {
      if (!raw.matches("[+-]?[0-9]+")) throw new NumberFormatException(); // ASCII digits only
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException e) {
      if (!raw.matches("[+-]?[0-9]+")) {
        throw Problem.invalid(
            FieldError.param(
                name,
                "type",
                name
                    + " must be an integer "
                    + min
                    + ".."
                    + max
                    + ", was '"
                    + ProblemMapper.shorten(raw)
                    + "'"));
      }
    }
    throw Problem.invalid(
        FieldError.param(
            name,
            "range",
            name + " must be " + min + ".." + max + ", was " + ProblemMapper.shorten(raw)));
  }

  /**
   * Where an SSE stream resumes: the {@code Last-Event-ID} header (sent by a reconnecting
   * EventSource) or else the {@code lastEventId} query parameter; null for neither.
   */
  public static String lastEventId(Context ctx, TaskFlowClient client) {
    String header = ctx.header("Last-Event-ID");
    String name = header != null && !header.isBlank() ? "Last-Event-ID" : "lastEventId";
    String id = header != null && !header.isBlank() ? header.trim() : single(ctx, "lastEventId");
    if (id == null) return null;
    long seq;
    try {
      seq = JobEvent.parseSeq(id);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid(
          FieldError.param(
              name,
              "format",
              name
                  + " must be an event id such as 1234 or 1234.2, was '"
                  + ProblemMapper.shorten(id)
                  + "'"));
    }
    String beyond = beyondLog(seq, client);
    if (beyond != null) throw Problem.invalid(FieldError.param(name, "beyond_log", beyond));
    return id;
  }

  /**
   * Why a resume position names no event of this log (it is past the newest one), or null when it
   * is fine. Resuming there would deliver nothing, silently, until the log caught up.
   */
  public static String beyondLog(long seq, TaskFlowClient client) {
    long latest = client.cluster().latestEventSeq();
    if (seq <= latest) return null;
    return "event id "
        + seq
        + " is beyond the newest event of this server's log ("
        + latest
        + "): was the store restored or replaced? Reconnect without a resume position to start"
        + " from now";
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
