package dev.taskflow.web.api;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobProgress;
import dev.taskflow.RemoteWorkers;
import dev.taskflow.RemoteWorkers.LeaseRequest;
import dev.taskflow.RemoteWorkers.LeasedJob;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Remote workers over HTTP, for any language: lease jobs (long-poll), heartbeat, complete, fail and
 * emit events, each fenced by the lease token (409 {@code lease-lost} once the lease is gone).
 */
final class WorkerRoutes {
  private final RemoteWorkers remote;
  private final ApiJson json;
  private final RequestBodies bodies;

  /**
   * @param remote the client's remote-worker registry
   */
  WorkerRoutes(RemoteWorkers remote, ApiJson json, RequestBodies bodies) {
    this.remote = remote;
    this.json = json;
    this.bodies = bodies;
  }

  /**
   * {@code {workerId, queues, types, max, leaseSeconds, wait}} → {@code {jobs: [{job…, leaseToken,
   * leaseExpiresAt}]}}.
   */
  void lease(Context ctx) throws InterruptedException {
    Fields f = fields(ctx, Set.of("workerId", "queues", "types", "max", "leaseSeconds", "wait"));
    LeaseRequest r =
        new LeaseRequest(
            f.text("workerId", true),
            List.copyOf(f.texts("queues", List.of("default"))),
            new LinkedHashSet<>(f.texts("types", List.of())),
            f.integer("max", 1),
            Duration.ofSeconds(f.integer("leaseSeconds", 60)),
            Duration.ofSeconds(f.integer("wait", 0)));
    f.throwIfAny();
    ArrayNode jobs = json.object().arrayNode();
    for (LeasedJob l : remote().lease(r)) {
      ObjectNode j = json.job(l.job());
      j.put("leaseToken", l.leaseToken());
      j.put("leaseExpiresAt", l.leaseExpiresAt().toString());
      jobs.add(j);
    }
    ObjectNode out = json.object();
    out.set("jobs", jobs);
    send(ctx, 200, out);
  }

  private static final Set<String> PROGRESS_FIELDS = Set.of("percent", "message", "step", "steps");
  private static final int MAX_MESSAGE = JobProgress.MAX_MESSAGE_LENGTH;

  /**
   * {@code {leaseToken, leaseSeconds, progress: {percent, message, step, steps}}} → {@code
   * {leaseExpiresAt}}.
   */
  void heartbeat(Context ctx) {
    UUID id = Params.jobId(ctx);
    Fields f = fields(ctx, Set.of("leaseToken", "leaseSeconds", "progress"));
    String token = f.text("leaseToken", true);
    int seconds = f.integer("leaseSeconds", 60);
    JobProgress progress = f.progress("progress");
    f.throwIfAny();
    Instant until = remote().heartbeat(id, token, Duration.ofSeconds(seconds), progress);
    ObjectNode out = json.object();
    out.put("leaseExpiresAt", until.toString());
    send(ctx, 200, out);
  }

  /** {@code {leaseToken, result}} → the completed job. */
  void complete(Context ctx) {
    UUID id = Params.jobId(ctx);
    Fields f = fields(ctx, Set.of("leaseToken", "result"));
    String token = f.text("leaseToken", true);
    JsonNode result = f.body.get("result");
    f.throwIfAny();
    Job job =
        remote().complete(id, token, result == null || result.isNull() ? null : result.toString());
    send(ctx, 200, json.job(job));
  }

  /**
   * {@code {leaseToken, error: {type, message, stackTrace}, retryable}} → the job (scheduled or
   * failed).
   */
  void fail(Context ctx) {
    UUID id = Params.jobId(ctx);
    Fields f = fields(ctx, Set.of("leaseToken", "error", "retryable"));
    String token = f.text("leaseToken", true);
    JsonNode error = f.body.path("error");
    boolean retryable = f.bool("retryable", true);
    String type = null;
    String message = null;
    String stack = null;
    if (error.isObject()) {
      type = textIn(f, error, "type", 200);
      message = textIn(f, error, "message", 4_000);
      stack = textIn(f, error, "stackTrace", 64_000);
      FieldError.unknownFields(
          error,
          "/error",
          Set.of("type", "message", "stackTrace"),
          "error has type, message, stackTrace",
          f.errors);
    } else if (!error.isMissingNode()) {
      f.errors.add(
          FieldError.at("/error", "type", "error must be an object {type, message, stackTrace}"));
    }
    f.throwIfAny();
    send(ctx, 200, json.job(remote().fail(id, token, type, message, stack, retryable)));
  }

  /** {@code {leaseToken, type, data}} → 201 the stored event. */
  void event(Context ctx) {
    UUID id = Params.jobId(ctx);
    Fields f = fields(ctx, Set.of("leaseToken", "type", "data"));
    String token = f.text("leaseToken", true);
    String type = f.text("type", true);
    JsonNode data = f.body.get("data");
    if (data != null && !data.isObject() && !data.isNull()) {
      f.errors.add(FieldError.at("/data", "type", "data must be a JSON object"));
    }
    f.throwIfAny();
    JobEvent e =
        remote().emit(id, token, type, data == null || data.isNull() ? "{}" : data.toString());
    send(ctx, 201, json.event(e));
  }

  private RemoteWorkers remote() {
    return remote;
  }

  private static String textIn(Fields f, JsonNode obj, String name, int max) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) {
      f.errors.add(FieldError.at("/error/" + name, "type", name + " must be a string"));
      return null;
    }
    String s = v.asString();
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private Fields fields(Context ctx, Set<String> allowed) {
    JsonNode body = bodies.read(ctx);
    Fields f = new Fields(body);
    if (!body.isObject()) {
      throw Problem.invalid(FieldError.at("", "type", "the body must be a JSON object"));
    }
    FieldError.unknownFields(body, "", allowed, "allowed: " + FieldError.listed(allowed), f.errors);
    return f;
  }

  private void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(json.write(body));
  }

  /** Typed reads of a body's fields, collecting every error with its pointer. */
  private static final class Fields {
    final JsonNode body;
    final List<FieldError> errors = new ArrayList<>();

    Fields(JsonNode body) {
      this.body = body;
    }

    String text(String name, boolean required) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) {
        if (required) errors.add(FieldError.at("/" + name, "required", name + " is required"));
        return null;
      }
      if (!v.isString()) {
        errors.add(FieldError.at("/" + name, "type", name + " must be a string"));
        return null;
      }
      return v.asString();
    }

    List<String> texts(String name, List<String> dflt) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return dflt;
      if (!v.isArray()) {
        errors.add(FieldError.at("/" + name, "type", name + " must be an array of strings"));
        return dflt;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isString()) {
          errors.add(FieldError.at("/" + name + "/" + i, "type", "must be a string"));
        } else {
          out.add(v.get(i).asString());
        }
      }
      return out;
    }

    int integer(String name, int dflt) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return dflt;
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        errors.add(FieldError.at("/" + name, "type", name + " must be an integer"));
        return dflt;
      }
      return v.asInt();
    }

    boolean bool(String name, boolean dflt) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return dflt;
      if (!v.isBoolean()) {
        errors.add(FieldError.at("/" + name, "type", name + " must be true or false"));
        return dflt;
      }
      return v.asBoolean();
    }

    /**
     * {@code {percent, message, step, steps}}, read strictly: every field is checked (an integer
     * beyond 32 bits is {@code range}, not a server error), and an unknown field is refused rather
     * than ignored.
     */
    JobProgress progress(String name) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return null;
      String at = "/" + name;
      if (!v.isObject()) {
        errors.add(
            FieldError.at(at, "type", "progress must be {percent: 0..100, message, step, steps}"));
        return null;
      }
      int before = errors.size();
      FieldError.unknownFields(
          v, at, PROGRESS_FIELDS, "progress has " + FieldError.listed(PROGRESS_FIELDS), errors);
      Integer percent = progressInt(v, at, "percent", true);
      Integer step = progressInt(v, at, "step", false);
      Integer steps = progressInt(v, at, "steps", false);
      String message = null;
      JsonNode m = v.get("message");
      if (m != null && !m.isNull()) {
        if (m.isString() && m.asString().codePointCount(0, m.asString().length()) > MAX_MESSAGE) {
          errors.add(
              FieldError.at(
                  at + "/message",
                  "length",
                  "progress message must be at most " + MAX_MESSAGE + " characters"));
        } else if (m.isString()) {
          message = m.asString();
        } else {
          errors.add(FieldError.at(at + "/message", "type", "progress message must be a string"));
        }
      }
      if (errors.size() > before) return null;
      try {
        return new JobProgress(percent, message, step, steps);
      } catch (IllegalArgumentException e) {
        errors.add(FieldError.at(at, "range", e.getMessage()));
        return null;
      }
    }

    private Integer progressInt(JsonNode progress, String at, String field, boolean required) {
      JsonNode n = progress.get(field);
      String pointer = at + "/" + field;
      if (n == null || n.isNull()) {
        if (required) {
          errors.add(FieldError.at(pointer, "required", "progress " + field + " is required"));
        }
        return null;
      }
      if (!n.isNumber()) {
        errors.add(FieldError.at(pointer, "type", "progress " + field + " must be an integer"));
        return null;
      }
      if (!n.isIntegralNumber()) {
        errors.add(
            FieldError.at(pointer, "integer", "progress " + field + " must be a whole number"));
        return null;
      }
      if (!n.canConvertToInt() || n.asInt() < 0 || (field.equals("percent") && n.asInt() > 100)) {
        errors.add(
            FieldError.at(
                pointer,
                "range",
                "progress "
                    + field
                    + (field.equals("percent") ? " must be 0..100" : " must be 0..2147483647")
                    + ", was "
                    + ProblemMapper.shorten(n.toString())));
        return null;
      }
      return n.asInt();
    }

    void throwIfAny() {
      if (!errors.isEmpty()) throw Problem.invalid(errors);
    }
  }
}
