package dev.taskflow.web.api;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
import dev.taskflow.ParentFailure;
import dev.taskflow.TaskFlowPlugin;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.ProblemMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one job of a request body into a {@link JobRequest}, checking the JSON type of every field
 * and naming each bad one by its pointer. Ranges and names (queue pattern, priority -100..100,
 * maxAttempts 1..100, how far ahead runAt may be, unknown job types) are the core's rules: it
 * checks them again for every caller and answers with the same field names.
 *
 * <p>A field given as JSON {@code null} counts as absent.
 */
final class JobRequestParser {
  static final List<String> FIELDS =
      List.of(
          "type",
          "args",
          "queue",
          "priority",
          "runAt",
          "delay",
          "maxAttempts",
          "timeout",
          "uniqueKey",
          "owner",
          "tags",
          "dependsOn",
          "onParentFailure",
          "concurrencyKey",
          "uniqueFor",
          "startBy",
          "startWithin");
  private static final Set<String> FIELD_SET = Set.copyOf(FIELDS);

  private final JsonMapper mapper;
  private final java.util.function.IntSupplier maxArgsBytes;

  /**
   * @param maxArgsBytes the engine's limit ({@code Cluster.maxArgsBytes}), read per request: one
   *     setting for the API and the engine
   */
  JobRequestParser(JsonMapper mapper, java.util.function.IntSupplier maxArgsBytes) {
    this.mapper = mapper;
    this.maxArgsBytes = maxArgsBytes;
  }

  /**
   * Reads the job at pointer {@code at}; adds one error per bad field to {@code errors}.
   *
   * @return the request, or null when an error was added
   */
  JobRequest parse(JsonNode job, String at, List<FieldError> errors) {
    if (!job.isObject()) {
      errors.add(FieldError.at(at, "type", "a job must be a JSON object, was " + kind(job)));
      return null;
    }
    int before = errors.size();
    FieldError.unknownFields(job, at, FIELD_SET, "a job has " + String.join(", ", FIELDS), errors);
    Fields f = new Fields(job, at, errors);
    String type = f.string("type");
    if (type == null && absent(job.get("type"))) {
      errors.add(FieldError.at(FieldError.child(at, "type"), "required", "type is required"));
    } else if (type != null && type.startsWith(TaskFlowPlugin.INTERNAL_TYPE_PREFIX)) {
      // e.g. taskflow.webhook.deliver: a client could otherwise make this server send signed
      // webhook messages with a payload of its choosing
      errors.add(
          FieldError.at(
              FieldError.child(at, "type"),
              "reserved",
              "'"
                  + ProblemMapper.shorten(type)
                  + "' is one of TaskFlow's own job types ("
                  + TaskFlowPlugin.INTERNAL_TYPE_PREFIX
                  + "*), which only its servers enqueue"));
    }
    String argsJson = args(job.get("args"), FieldError.child(at, "args"), errors);
    EnqueueOptions options =
        new EnqueueOptions(
            f.string("queue"),
            f.integer("priority"),
            f.instant("runAt"),
            f.duration("delay"),
            f.integer("maxAttempts"),
            f.duration("timeout"),
            f.string("uniqueKey"),
            f.string("owner"),
            f.strings("tags"),
            f.ids("dependsOn"),
            f.parentFailure("onParentFailure"),
            f.string("concurrencyKey"),
            f.duration("uniqueFor"),
            f.instant("startBy"),
            f.duration("startWithin"));
    return errors.size() > before ? null : new JobRequest(type, argsJson, options);
  }

  private String args(JsonNode args, String at, List<FieldError> errors) {
    if (absent(args)) return "{}";
    if (!args.isObject()) {
      errors.add(FieldError.at(at, "type", "args must be a JSON object, was " + kind(args)));
      return null;
    }
    String json = mapper.writeValueAsString(args);
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    int limit = maxArgsBytes.getAsInt();
    if (bytes > limit) {
      errors.add(
          FieldError.at(at, "max_size", "args are " + bytes + " bytes; the limit is " + limit));
      return null;
    }
    return json;
  }

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode();
  }

  static String kind(JsonNode n) {
    if (n.isObject()) return "an object";
    if (n.isArray()) return "an array";
    if (n.isString()) return "a string";
    if (n.isBoolean()) return "a boolean";
    if (n.isIntegralNumber()) return "an integer";
    if (n.isNumber()) return "a fractional number";
    if (n.isNull()) return "null";
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** Typed reads of the fields of one job object, each adding an error when its type is wrong. */
  private record Fields(JsonNode job, String at, List<FieldError> errors) {

    private String ptr(String name) {
      return FieldError.child(at, name);
    }

    private void fail(String name, String code, String message) {
      errors.add(FieldError.at(ptr(name), code, message));
    }

    String string(String name) {
      JsonNode v = job.get(name);
      if (absent(v)) return null;
      if (!v.isString()) {
        fail(name, "type", name + " must be a string, was " + kind(v));
        return null;
      }
      return v.stringValue();
    }

    Integer integer(String name) {
      JsonNode v = job.get(name);
      if (absent(v)) return null;
      if (!v.isNumber()) {
        fail(name, "type", name + " must be an integer, was " + kind(v));
      } else if (!v.isIntegralNumber()) {
        fail(name, "integer", name + " must be a whole number, was " + shortNumber(v));
      } else if (!v.canConvertToInt()) {
        fail(name, "range", name + " is out of range, was " + shortNumber(v));
      } else {
        return v.intValue();
      }
      return null;
    }

    Instant instant(String name) {
      String s = string(name);
      if (s == null) return null;
      try {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        if (isLocal(s)) {
          fail(
              name,
              "offset_required",
              name
                  + " needs a zone offset, e.g. 2026-01-01T10:00:00Z or 2026-01-01T12:00:00+02:00,"
                  + " was '"
                  + ProblemMapper.shorten(s)
                  + "'");
        } else {
          fail(
              name,
              "format",
              name
                  + " must be an ISO-8601 instant with an offset, e.g. 2026-01-01T10:00:00Z, was '"
                  + ProblemMapper.shorten(s)
                  + "'");
        }
        return null;
      }
    }

    Duration duration(String name) {
      String s = string(name);
      return s == null ? null : ApiDurations.parse(s, ptr(name), name, "PT30S or PT5M", errors);
    }

    List<String> strings(String name) {
      JsonNode v = job.get(name);
      if (absent(v)) return List.of();
      if (!v.isArray()) {
        fail(name, "type", name + " must be an array of strings, was " + kind(v));
        return List.of();
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (!e.isString()) {
          errors.add(
              FieldError.at(
                  FieldError.child(ptr(name), i),
                  "type",
                  name + " must hold strings only, item " + i + " was " + kind(e)));
        } else {
          out.add(e.stringValue());
        }
      }
      return out;
    }

    List<UUID> ids(String name) {
      List<String> texts = strings(name);
      List<UUID> out = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        UUID id = Params.uuid(texts.get(i));
        if (id != null) {
          out.add(id);
        } else {
          errors.add(
              FieldError.at(
                  FieldError.child(ptr(name), i),
                  "format",
                  name
                      + " must hold job ids (UUIDs), item "
                      + i
                      + " was '"
                      + ProblemMapper.shorten(texts.get(i))
                      + "'"));
        }
      }
      return out;
    }

    ParentFailure parentFailure(String name) {
      String s = string(name);
      if (s == null) return null;
      try {
        return ParentFailure.fromWire(s);
      } catch (IllegalArgumentException e) {
        fail(
            name,
            "enum",
            name + " must be one of cancel, run, wait, was '" + ProblemMapper.shorten(s) + "'");
        return null;
      }
    }

    private static boolean isLocal(String s) {
      try {
        LocalDateTime.parse(s);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }

    private static String shortNumber(JsonNode v) {
      String s = v.asString();
      return s.length() <= 32 ? s : s.substring(0, 32) + "… (" + s.length() + " characters)";
    }
  }
}
