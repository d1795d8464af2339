package dev.taskflow.web.api;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueResult;
import dev.taskflow.JobRequest;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.TaskFlowWeb;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/batches}: {@code POST} enqueues a batch atomically ({@code {jobs, callback,
 * description, metadata}} → 201 {@code {id, ids, callbackJobId}}); {@code GET /batches/{id}} shows
 * its state and counts per state. Inside a batch, a member's {@code dependsOn} may name an earlier
 * member by its index in {@code jobs} (a number) as well as any stored job by id.
 */
final class BatchRoutes {
  private static final Set<String> FIELDS = Set.of("jobs", "callback", "description", "metadata");

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;
  private final JobRequestParser parser;

  BatchRoutes(TaskFlowClient client, ApiJson json, RequestBodies bodies, JobRequestParser parser) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
    this.parser = parser;
  }

  void create(Context ctx) {
    Batches batches = batches();
    JsonNode body = bodies.read(ctx);
    if (!body.isObject()) {
      throw Problem.invalid(
          FieldError.at(
              "",
              "type",
              "the body must be {\"jobs\": [...]}, was " + JobRequestParser.kind(body)));
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError.unknownFields(
        body, "", FIELDS, "a batch has jobs, callback, description and metadata", errors);
    JsonNode jobs = body.get("jobs");
    if (jobs == null || !jobs.isArray()) {
      errors.add(
          FieldError.at(
              "/jobs",
              jobs == null ? "required" : "type",
              "jobs must be an array of jobs"
                  + (jobs == null ? "" : ", was " + JobRequestParser.kind(jobs))));
      throw Problem.invalid(errors);
    }
    if (jobs.isEmpty()) errors.add(FieldError.at("/jobs", "min_items", "a batch needs a job"));
    if (jobs.size() > Batches.MAX_JOBS) {
      errors.add(
          FieldError.at("/jobs", "max_items", "at most " + Batches.MAX_JOBS + " jobs per batch"));
      throw Problem.invalid(errors);
    }
    List<JobRequest> requests = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      String at = "/jobs/" + i;
      JsonNode job = memberRefs(jobs.get(i), at, jobs.size(), errors);
      requests.add(parser.parse(job, at, errors));
    }
    JobRequest callback = null;
    JsonNode cb = body.get("callback");
    if (cb != null && !cb.isNull()) callback = parser.parse(cb, "/callback", errors);
    String description = text(body, "description", errors);
    JsonNode meta = body.get("metadata");
    String metadata = null;
    if (meta != null && !meta.isNull()) {
      if (!meta.isObject()) {
        errors.add(FieldError.at("/metadata", "type", "metadata must be a JSON object"));
      } else {
        metadata = meta.toString();
      }
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    BatchResult r = batches.enqueue(new BatchOptions(description, metadata, callback), requests);
    ObjectNode out = json.object();
    out.put("id", r.batchId().toString());
    ArrayNode ids = out.putArray("ids");
    for (EnqueueResult e : r.jobs()) ids.add(e.job().id().toString());
    out.put("callbackJobId", r.callbackJobId() == null ? null : r.callbackJobId().toString());
    ctx.header("Location", TaskFlowWeb.API + "/batches/" + r.batchId());
    json.send(ctx, 201, out);
  }

  void get(Context ctx) {
    UUID id = Params.pathId(ctx, "batch");
    BatchInfo b = batches().get(id).orElseThrow(() -> notFound(ctx.pathParam("id")));
    json.send(ctx, 200, batch(json, b));
  }

  static ObjectNode batch(ApiJson json, BatchInfo b) {
    ObjectNode n = json.object();
    n.put("id", b.id().toString());
    n.put("state", b.state());
    n.put("description", b.description());
    n.set("metadata", b.metadataJson() == null ? null : json.read(b.metadataJson()));
    n.put("total", b.total());
    ObjectNode counts = n.putObject("counts");
    b.counts().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> counts.put(e.getKey().wireName(), e.getValue()));
    n.put("callbackJobId", b.callbackJobId() == null ? null : b.callbackJobId().toString());
    n.put("createdAt", ApiJson.instant(b.createdAt()));
    n.put("finishedAt", ApiJson.instant(b.finishedAt()));
    return n;
  }

  /** The member with numbers in {@code dependsOn} replaced by the member stand-ins. */
  private static JsonNode memberRefs(JsonNode job, String at, int size, List<FieldError> errors) {
    if (!job.isObject() || !(job.get("dependsOn") instanceof ArrayNode deps)) return job;
    ArrayNode replaced = deps.arrayNode();
    boolean changed = false;
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int k = 0; k < deps.size(); k++) {
      JsonNode d = deps.get(k);
      if (!d.isNumber()) {
        replaced.add(d);
        continue;
      }
      changed = true;
      if (!d.isIntegralNumber()) {
        errors.add(
            FieldError.at(
                at + "/dependsOn/" + k,
                "integer",
                "a number in dependsOn is the index of an earlier job of the batch, a whole"
                    + " number; was "
                    + ProblemMapper.shorten(d.toString())));
        replaced.add(new UUID(0L, 0L).toString()); // parses; the error above is the one
        continue;
      }
      if (d.canConvertToInt() && !seen.add(d.asInt())) {
        errors.add(
            FieldError.at(
                at + "/dependsOn/" + k,
                "duplicate",
                "member " + d.asInt() + " of the batch is listed twice in dependsOn"));
        replaced.add(new UUID(0L, 0L).toString());
        continue;
      }
      if (!d.canConvertToInt() || d.asInt() < 0 || d.asInt() >= size) {
        errors.add(
            FieldError.at(
                at + "/dependsOn/" + k,
                "unknown_member",
                "a number in dependsOn is the index of an earlier job of the batch (0.."
                    + (size - 1)
                    + "), was "
                    + ProblemMapper.shorten(d.toString())));
        replaced.add(new UUID(0L, 0L).toString()); // parses; the error above is the one
        continue;
      }
      replaced.add(Batches.member(d.asInt()).toString());
    }
    if (!changed) return job;
    ObjectNode copy = ((ObjectNode) job).deepCopy();
    copy.set("dependsOn", replaced);
    return copy;
  }

  private static String text(JsonNode body, String field, List<FieldError> errors) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) {
      errors.add(FieldError.at("/" + field, "type", field + " must be a string"));
      return null;
    }
    return v.asString();
  }

  /** The batches; a 501 problem first when the store keeps none. */
  private Batches batches() {
    return client.batches().requireSupported();
  }

  private static Problem notFound(String raw) {
    return Problem.notFound(
        "id", "no batch with id '" + ProblemMapper.shorten(raw) + "': batch ids are UUIDs");
  }
}
