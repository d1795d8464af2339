package dev.taskflow.web.api;

import dev.taskflow.InvalidJobException;
import dev.taskflow.QueueInfo;
import dev.taskflow.Queues;
import dev.taskflow.ResourceInfo;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Job controls: {@code PATCH /queues/{name}} sets a queue's settings shared by every server (its
 * maximum depth), {@code GET /resources} shows this server's adaptive resource limits.
 */
final class ControlRoutes {
  private static final int MAX_QUEUE_NAME = 64;
  private static final Set<String> QUEUE_FIELDS = Set.of("maxDepth");

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;

  ControlRoutes(TaskFlowClient client, ApiJson json, RequestBodies bodies) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
  }

  /** {@code {"maxDepth": n | null}} → 200 and the queue. Absent fields stay as they are. */
  void patchQueue(Context ctx) {
    String name = ctx.pathParam("name");
    if (name.isEmpty() || name.length() > MAX_QUEUE_NAME || name.indexOf('\0') >= 0) {
      throw Problem.invalid(
          FieldError.param(
              "name", "length", "a queue name is 1.." + MAX_QUEUE_NAME + " characters"));
    }
    JsonNode body = bodies.read(ctx);
    if (!body.isObject()) {
      throw Problem.invalid(FieldError.at("", "type", "the body must be a JSON object"));
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError.unknownFields(body, "", QUEUE_FIELDS, "a queue's settings are: maxDepth", errors);
    JsonNode max = body.get("maxDepth");
    Integer maxDepth = null;
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber()) {
        errors.add(FieldError.at("/maxDepth", "type", "maxDepth must be a whole number or null"));
      } else if (!max.canConvertToInt() || max.asInt() < 0 || max.asInt() > Queues.MAX_DEPTH) {
        errors.add(
            FieldError.at(
                "/maxDepth", "range", "maxDepth must be 0.." + Queues.MAX_DEPTH + " or null"));
      } else {
        maxDepth = max.asInt();
      }
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    if (max != null) {
      try {
        client.queues().setMaxDepth(name, maxDepth);
      } catch (InvalidJobException e) {
        throw "queue".equals(e.field())
            ? ProblemMapper.asParameter(e, "name")
            : Problem.invalid(FieldError.at("/maxDepth", e.rule(), e.getMessage()));
      }
    }
    Integer bound = maxDepth;
    QueueInfo q =
        client.queues().list().stream()
            .filter(i -> i.name().equals(name))
            .findFirst()
            .orElseGet(() -> new QueueInfo(name, Map.of(), null, false, bound));
    json.send(ctx, 200, json.queue(q));
  }

  /**
   * {@code {"resources": [{name, types, limit, min, max, inFlight, latency, latencyMillis,
   * baseline, baselineMillis, errorRate, decreases, increases}]}}: this server's adaptive limits.
   */
  void resources(Context ctx) {
    Params.allowOnly(ctx, Set.of());
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("resources");
    for (ResourceInfo r : client.queues().resources()) items.add(resource(r));
    json.send(ctx, 200, out);
  }

  private ObjectNode resource(ResourceInfo r) {
    ObjectNode n = json.object();
    n.put("name", r.name());
    ArrayNode types = n.putArray("types");
    r.types().forEach(types::add);
    n.put("limit", r.limit());
    n.put("min", r.min());
    n.put("max", r.max());
    n.put("inFlight", r.inFlight());
    n.put("latency", ApiJson.duration(r.latency()));
    if (r.latency() == null) n.putNull("latencyMillis");
    else n.put("latencyMillis", r.latency().toNanos() / 1e6);
    n.put("baseline", ApiJson.duration(r.baseline()));
    if (r.baseline() == null) n.putNull("baselineMillis");
    else n.put("baselineMillis", r.baseline().toNanos() / 1e6);
    n.put("errorRate", r.errorRate());
    n.put("decreases", r.decreases());
    n.put("increases", r.increases());
    return n;
  }
}
