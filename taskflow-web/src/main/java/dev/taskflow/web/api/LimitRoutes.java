package dev.taskflow.web.api;

import dev.taskflow.FlowLimit;
import dev.taskflow.InvalidLimitException;
import dev.taskflow.LimitUsage;
import dev.taskflow.Limits;
import dev.taskflow.Names;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.TaskFlowWeb;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/limits}: the cluster-wide concurrency and rate limits ({@link FlowLimit}). List
 * and read show each limit's current use per bucket; {@code PUT /limits/{name}} creates (201) or
 * replaces (200) one; {@code DELETE} removes it (204).
 */
final class LimitRoutes {
  private static final Set<String> FIELDS =
      Set.of("name", "type", "queue", "scope", "maxRunning", "rateCount", "ratePeriod");

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;

  LimitRoutes(TaskFlowClient client, ApiJson json, RequestBodies bodies) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
  }

  void list(Context ctx) {
    Params.allowOnly(ctx, Set.of());
    Limits limits = limits();
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("items");
    for (FlowLimit l : limits.list().items())
      items.add(limit(l, limits.usage(l.name()).orElse(null)));
    json.send(ctx, 200, out);
  }

  void get(Context ctx) {
    Limits limits = limits();
    String name = name(ctx);
    FlowLimit l = limits.get(name).orElseThrow(() -> notFound(name));
    json.send(ctx, 200, limit(l, limits.usage(name).orElse(null)));
  }

  void put(Context ctx) {
    Limits limits = limits();
    String name = name(ctx);
    JsonNode node = bodies.read(ctx);
    if (!node.isObject()) {
      throw Problem.invalid(FieldError.at("", "type", "the body must be a JSON object"));
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError.unknownFields(node, "", FIELDS, "a limit has " + FieldError.listed(FIELDS), errors);
    JsonNode bodyName = node.get("name");
    if (bodyName != null && !(bodyName.isString() && bodyName.asString().equals(name))) {
      errors.add(
          FieldError.at("/name", "mismatch", "name must be omitted or equal the name in the path"));
    }
    String type = text(node, "type", errors);
    String queue = text(node, "queue", errors);
    FlowLimit.Scope scope = FlowLimit.Scope.GLOBAL;
    JsonNode s = node.get("scope");
    if (s != null && !s.isNull()) {
      scope = s.isString() ? FlowLimit.Scope.fromWire(s.asString()) : null;
      if (scope == null) {
        errors.add(
            FieldError.at(
                "/scope",
                "enum",
                "scope must be one of global, key, owner, was "
                    + ProblemMapper.shorten(s.toString())));
      }
    }
    Integer maxRunning = integer(node, "maxRunning", errors);
    Integer rateCount = integer(node, "rateCount", errors);
    Duration ratePeriod = duration(node, "ratePeriod", errors);
    boolean typeErrors = !errors.isEmpty();
    for (FlowLimit.Violation v :
        FlowLimit.violations(
            name,
            type,
            queue,
            scope == null ? FlowLimit.Scope.GLOBAL : scope,
            maxRunning,
            rateCount,
            ratePeriod)) {
      // a field that was of the wrong type already has its error
      if (typeErrors && errors.stream().anyMatch(e -> ("/" + v.field()).equals(e.pointer()))) {
        continue;
      }
      errors.add(
          v.field().equals("name")
              ? FieldError.param("name", v.rule(), v.message())
              : FieldError.at("/" + v.field(), v.rule(), v.message()));
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    FlowLimit l;
    try {
      l = new FlowLimit(name, type, queue, scope, maxRunning, rateCount, ratePeriod);
    } catch (InvalidLimitException e) { // unreachable: the same rules were checked above
      throw Problem.invalid(FieldError.at("", "invalid", ProblemMapper.shorten(e.getMessage())));
    }
    boolean existed = limits.get(name).isPresent();
    limits.put(l);
    ctx.header("Location", TaskFlowWeb.API + "/limits/" + name);
    json.send(ctx, existed ? 200 : 201, limit(l, limits.usage(name).orElse(null)));
  }

  void delete(Context ctx) {
    String name = name(ctx);
    if (!limits().delete(name)) throw notFound(name);
    ctx.status(204);
  }

  // ------------------------------------------------------------------------------------------

  /** The limits; a 501 problem first when the store keeps none. */
  private Limits limits() {
    return client.limits().requireSupported();
  }

  private static Problem notFound(String name) {
    return Problem.notFound("name", "no limit is named '" + ProblemMapper.shorten(name) + "'");
  }

  /** The name in the path, checked like a limit's name. */
  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    Names.Problem bad = Names.check("limit name", name, FlowLimit.MAX_NAME_LENGTH);
    if (bad != null) throw Problem.invalid(FieldError.param("name", "pattern", bad.message()));
    return name;
  }

  private static String text(JsonNode node, String field, List<FieldError> errors) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) {
      errors.add(FieldError.at("/" + field, "type", field + " must be a string or null"));
      return null;
    }
    return v.asString();
  }

  private static Integer integer(JsonNode node, String field, List<FieldError> errors) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      errors.add(
          FieldError.at(
              "/" + field,
              "type",
              field + " must be a whole number 1.." + FlowLimit.MAX_COUNT + " or null"));
      return null;
    }
    return v.asInt();
  }

  private static Duration duration(JsonNode node, String field, List<FieldError> errors) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (v.isString()) return ApiDurations.parse(v.asString(), "/" + field, field, "PT1M", errors);
    errors.add(
        FieldError.at(
            "/" + field,
            "format",
            field
                + " must be an ISO-8601 duration such as PT1M, was "
                + ProblemMapper.shorten(v.toString())));
    return null;
  }

  /** A limit as the API shows it, with its use now when known. */
  private ObjectNode limit(FlowLimit l, LimitUsage usage) {
    ObjectNode n = json.object();
    n.put("name", l.name());
    n.put("type", l.type());
    n.put("queue", l.queue());
    n.put("scope", l.scope().wireName());
    if (l.maxRunning() == null) n.putNull("maxRunning");
    else n.put("maxRunning", l.maxRunning().intValue());
    if (l.rateCount() == null) n.putNull("rateCount");
    else n.put("rateCount", l.rateCount().intValue());
    n.put("ratePeriod", l.ratePeriod() == null ? null : ApiJson.duration(l.ratePeriod()));
    if (usage != null) {
      ObjectNode u = n.putObject("usage");
      u.put("running", usage.totalRunning());
      u.put("recentStarts", usage.totalRecentStarts());
      buckets(u.putObject("runningByBucket"), usage.running());
      buckets(u.putObject("recentStartsByBucket"), usage.recentStarts());
    }
    return n;
  }

  private static void buckets(ObjectNode into, Map<String, Long> counts) {
    counts.forEach(into::put);
  }
}
