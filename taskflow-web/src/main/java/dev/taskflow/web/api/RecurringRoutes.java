package dev.taskflow.web.api;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobRequest;
import dev.taskflow.Page;
import dev.taskflow.Recurring;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringNotFoundException;
import dev.taskflow.RecurringPutResult;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.TaskFlowWeb;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/recurring}: recurring schedules. {@code PUT /recurring/{id}} creates (201) or
 * replaces (200) one; pause, resume and trigger are {@code POST}s on it. Bad definitions answer 422
 * naming the field: an invalid cron expression with the parser's rule, an unknown zone, a schedule
 * more frequent than the server's minimum with its next fire times in the detail.
 */
final class RecurringRoutes {
  static final List<String> FIELDS =
      List.of(
          "cron",
          "every",
          "zone",
          "job",
          "misfire",
          "misfireLimit",
          "overlap",
          "paused",
          "endAt",
          "maxRuns");
  private static final Set<String> FIELD_SET = Set.copyOf(FIELDS);

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;
  private final JobRequestParser parser;

  RecurringRoutes(
      TaskFlowClient client, ApiJson json, RequestBodies bodies, JobRequestParser parser) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
    this.parser = parser;
  }

  void list(Context ctx) {
    Params.allowOnly(ctx, Set.of("limit", "cursor"));
    int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
    Page<RecurringInfo> page = recurring().list(Params.single(ctx, "cursor"), limit);
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("items");
    page.items().forEach(r -> items.add(schedule(json, r)));
    out.put("nextCursor", page.nextCursor());
    json.send(ctx, 200, out);
  }

  void get(Context ctx) {
    String id = ctx.pathParam("id");
    json.send(
        ctx,
        200,
        schedule(json, recurring().get(id).orElseThrow(() -> new RecurringNotFoundException(id))));
  }

  void put(Context ctx) {
    String id = ctx.pathParam("id");
    Recurring recurring = recurring();
    RecurringSchedule s = parse(id, bodies.read(ctx));
    RecurringPutResult r;
    try {
      r = recurring.put(s);
    } catch (InvalidJobException e) {
      if ("id".equals(e.field())) {
        throw Problem.invalid(
            FieldError.param("id", e.rule(), ProblemMapper.shorten(e.getMessage())));
      }
      throw e;
    }
    if (r.created()) ctx.header("Location", TaskFlowWeb.API + "/recurring/" + id);
    json.send(ctx, r.created() ? 201 : 200, schedule(json, r.schedule()));
  }

  void delete(Context ctx) {
    String id = ctx.pathParam("id");
    if (!recurring().delete(id)) throw new RecurringNotFoundException(id);
    ctx.status(204);
  }

  void pause(Context ctx) {
    json.send(ctx, 200, schedule(json, recurring().pause(ctx.pathParam("id"))));
  }

  void resume(Context ctx) {
    json.send(ctx, 200, schedule(json, recurring().resume(ctx.pathParam("id"))));
  }

  /** Enqueues the schedule's job once, now: 201 with the job (not counted as a fire). */
  void trigger(Context ctx) {
    EnqueueResult r = recurring().trigger(ctx.pathParam("id"));
    ctx.header("Location", TaskFlowWeb.API + "/jobs/" + r.job().id());
    json.send(ctx, 201, json.job(r.job()));
  }

  // ------------------------------------------------------------------------------------------

  /** The schedules; a 501 problem first when the store keeps none. */
  private Recurring recurring() {
    try {
      return client.recurring().requireSupported();
    } catch (UnsupportedOperationException e) {
      throw Problem.notFound("path", "recurring schedules are not available on this server");
    }
  }

  /** A body as a schedule, every JSON type checked; the core checks the rules. */
  private RecurringSchedule parse(String id, JsonNode node) {
    if (!node.isObject()) {
      throw Problem.invalid(FieldError.at("", "type", "the body must be a JSON object"));
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError.unknownFields(
        node, "", FIELD_SET, "a schedule has " + String.join(", ", FIELDS), errors);
    String cron = text(node, "cron", errors);
    Duration every = duration(node, "every", errors);
    ZoneId zone = zone(node, errors);
    JobRequest job = null;
    JsonNode jobNode = node.get("job");
    if (jobNode == null || jobNode.isNull()) {
      errors.add(
          FieldError.at("/job", "required", "job is required: {\"type\": ..., \"args\": {...}}"));
    } else {
      job = parser.parse(jobNode, "/job", errors);
    }
    RecurringSchedule.Misfire misfire = null;
    String m = text(node, "misfire", errors);
    if (m != null && (misfire = RecurringSchedule.Misfire.fromWire(m)) == null) {
      errors.add(
          FieldError.at(
              "/misfire",
              "enum",
              "misfire must be skip, run_once or run_all, was '" + ProblemMapper.shorten(m) + "'"));
    }
    RecurringSchedule.Overlap overlap = null;
    String o = text(node, "overlap", errors);
    if (o != null && (overlap = RecurringSchedule.Overlap.fromWire(o)) == null) {
      errors.add(
          FieldError.at(
              "/overlap",
              "enum",
              "overlap must be allow or skip, was '" + ProblemMapper.shorten(o) + "'"));
    }
    Long misfireLimit = integer(node, "misfireLimit", errors);
    Long maxRuns = integer(node, "maxRuns", errors);
    Instant endAt = instant(node, "endAt", errors);
    Boolean paused = null;
    JsonNode p = node.get("paused");
    if (p != null && !p.isNull()) {
      if (p.isBoolean()) paused = p.asBoolean();
      else errors.add(FieldError.at("/paused", "type", "paused must be true or false"));
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    int limit =
        misfireLimit == null
            ? RecurringSchedule.DEFAULT_MISFIRE_LIMIT
            : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, misfireLimit));
    return new RecurringSchedule(
        id,
        cron,
        every,
        zone,
        job == null ? null : new JobRequest(job.type(), job.argsJson(), job.options()),
        misfire,
        limit,
        overlap,
        Boolean.TRUE.equals(paused),
        endAt,
        maxRuns);
  }

  private static String text(JsonNode node, String name, List<FieldError> errors) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) {
      errors.add(
          FieldError.at(
              "/" + name, "type", name + " must be a string, was " + JobRequestParser.kind(v)));
      return null;
    }
    return v.asString();
  }

  private static Long integer(JsonNode node, String name, List<FieldError> errors) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return null;
    if (v.isIntegralNumber() && !v.canConvertToLong()) {
      errors.add(
          FieldError.at(
              "/" + name, "range", name + " is beyond a 64-bit integer, was " + v.asString()));
      return null;
    }
    if (!v.isIntegralNumber()) {
      errors.add(
          FieldError.at(
              "/" + name,
              "type",
              name + " must be a whole number, was " + JobRequestParser.kind(v)));
      return null;
    }
    return v.asLong();
  }

  private static Duration duration(JsonNode node, String name, List<FieldError> errors) {
    String s = text(node, name, errors);
    return s == null ? null : ApiDurations.parse(s, "/" + name, name, "PT15M", errors);
  }

  private static Instant instant(JsonNode node, String name, List<FieldError> errors) {
    String s = text(node, name, errors);
    if (s == null) return null;
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          FieldError.at(
              "/" + name,
              "format",
              name
                  + " must be an ISO-8601 instant with an offset, e.g. 2027-01-01T00:00:00Z, was '"
                  + ProblemMapper.shorten(s)
                  + "'"));
      return null;
    }
  }

  private static ZoneId zone(JsonNode node, List<FieldError> errors) {
    String s = text(node, "zone", errors);
    if (s == null) return null;
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      errors.add(
          FieldError.at(
              "/zone",
              "unknown_zone",
              "'"
                  + ProblemMapper.shorten(s)
                  + "' is not a known time zone: use an IANA name such as Europe/Berlin or UTC"));
      return null;
    }
  }

  /** A schedule as the API shows it (the dashboard reads the same shape). */
  static ObjectNode schedule(ApiJson json, RecurringInfo r) {
    RecurringSchedule s = r.schedule();
    ObjectNode n = json.object();
    n.put("id", s.id());
    n.put("cron", s.cron());
    n.put("every", ApiJson.duration(s.every()));
    n.put("zone", s.zone().getId());
    ObjectNode job = n.putObject("job");
    job.put("type", s.job().type());
    job.set("args", json.read(s.job().argsJson()));
    EnqueueOptions o = s.job().options();
    job.put("queue", o.queue() == null ? EnqueueOptions.DEFAULT_QUEUE : o.queue());
    if (o.priority() != null) job.put("priority", o.priority());
    if (o.maxAttempts() != null) job.put("maxAttempts", o.maxAttempts());
    if (o.timeout() != null) job.put("timeout", ApiJson.duration(o.timeout()));
    if (o.owner() != null) job.put("owner", o.owner());
    ArrayNode tags = job.putArray("tags");
    o.tags().forEach(tags::add);
    n.put("misfire", s.misfire().wireName());
    n.put("misfireLimit", s.misfireLimit());
    n.put("overlap", s.overlap().wireName());
    n.put("paused", s.paused());
    n.put("endAt", ApiJson.instant(s.endAt()));
    if (s.maxRuns() == null) n.putNull("maxRuns");
    else n.put("maxRuns", s.maxRuns());
    n.put("nextFireAt", ApiJson.instant(r.nextFireAt()));
    ArrayNode next = n.putArray("nextFires");
    r.nextFires().forEach(t -> next.add(t.toString()));
    n.put("finished", r.finished());
    n.put("lastFireAt", ApiJson.instant(r.lastFireAt()));
    n.put("lastJobId", r.lastJobId() == null ? null : r.lastJobId().toString());
    n.put("runs", r.runs());
    n.put("createdAt", ApiJson.instant(r.createdAt()));
    n.put("updatedAt", ApiJson.instant(r.updatedAt()));
    return n;
  }
}
