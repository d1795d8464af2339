package dev.taskflow.web;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobProgress;
import dev.taskflow.JobState;
import dev.taskflow.Page;
import dev.taskflow.QueueInfo;
import dev.taskflow.ServerInfo;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shape of everything the API sends, in one place, written with the web layer's one {@link
 * #mapper()}. States are lowercase, instants are ISO-8601 with an offset ({@code
 * 2026-01-01T10:00:00Z}), durations ISO-8601 ({@code PT30S}), and {@code args}, {@code result} and
 * event {@code data} are embedded as JSON, never as strings.
 */
public final class ApiJson {
  private static final Logger log = LoggerFactory.getLogger(ApiJson.class);

  /**
   * The web layer's one configured mapper, and its plugins' (webhooks, the dashboard): it writes
   * responses, reads JSON the store holds (written by TaskFlow itself) and builds the trees of
   * request bodies ({@link RequestBodies} parses them with its own limits first). Numbers keep
   * their exact value both ways: {@code 1.50} stays {@code 1.50}.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(tools.jackson.databind.cfg.JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(tools.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private final JsonMapper mapper = MAPPER;
  private final JsonNodeFactory nodes = mapper.getNodeFactory();

  /** The one mapper (see {@link #MAPPER}); never default typing, never reconfigured. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * JSON the store holds (args, results, metadata, event data), as a tree.
   *
   * @throws tools.jackson.core.JacksonException when it is not JSON
   */
  public JsonNode read(String storedJson) {
    return mapper.readTree(storedJson);
  }

  /** Sends {@code body} as {@code application/json}. */
  public void send(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** The compact JSON text of {@code node}. */
  public String write(JsonNode node) {
    return mapper.writeValueAsString(node);
  }

  /** A new, empty object to fill and {@link #send}. */
  public ObjectNode object() {
    return nodes.objectNode();
  }

  /**
   * A job: {@code id, type, queue, state, priority, args, attempt, maxAttempts, createdAt,
   * scheduledAt, startedAt, finishedAt, timeout, progress, result, errors, owner, tags, uniqueKey,
   * leaseOwner, leaseExpiresAt, dependsOn, onParentFailure, batchId, concurrencyKey, uniqueUntil,
   * startBy, history}, plus {@code queuePosition} (jobs ahead of it while enqueued, else null) when
   * {@code queuePosition} is given.
   */
  public ObjectNode job(Job j, OptionalLong queuePosition) {
    ObjectNode n = job(j);
    if (queuePosition != null) {
      if (queuePosition.isPresent()) n.put("queuePosition", queuePosition.getAsLong());
      else n.putNull("queuePosition");
    }
    return n;
  }

  /** A job without {@code queuePosition}; see {@link #job(Job, OptionalLong)}. */
  public ObjectNode job(Job j) {
    ObjectNode n = nodes.objectNode();
    n.put("id", j.id().toString());
    n.put("type", j.type());
    n.put("queue", j.queue());
    n.put("state", j.state().wireName());
    n.put("priority", j.priority());
    n.set("args", stored(j.argsJson(), j.id(), "args"));
    n.put("attempt", j.attempt());
    n.put("maxAttempts", j.maxAttempts());
    n.put("createdAt", instant(j.createdAt()));
    n.put("scheduledAt", instant(j.scheduledAt()));
    n.put("startedAt", instant(j.startedAt()));
    n.put("finishedAt", instant(j.finishedAt()));
    n.put("timeout", duration(j.timeout()));
    n.set("progress", progress(j.progress()));
    n.set(
        "result",
        j.resultJson() == null ? nodes.nullNode() : stored(j.resultJson(), j.id(), "result"));
    ArrayNode errors = n.putArray("errors");
    for (JobError e : j.errors()) errors.add(error(e));
    n.put("owner", j.owner());
    ArrayNode tags = n.putArray("tags");
    j.tags().forEach(tags::add);
    n.put("uniqueKey", j.uniqueKey());
    n.put("leaseOwner", j.leaseOwner());
    n.put("leaseExpiresAt", instant(j.leaseExpiresAt()));
    JobFlow flow = j.flow();
    ArrayNode parents = n.putArray("dependsOn");
    flow.dependsOn().forEach(p -> parents.add(p.toString()));
    n.put(
        "onParentFailure",
        flow.onParentFailure() == null ? null : flow.onParentFailure().wireName());
    n.put("batchId", flow.batchId() == null ? null : flow.batchId().toString());
    n.put("concurrencyKey", flow.concurrencyKey());
    n.put("uniqueUntil", instant(flow.uniqueUntil()));
    n.put("startBy", instant(flow.startBy()));
    ArrayNode history = n.putArray("history");
    for (HistoryEntry h : j.history()) history.add(history(h));
    return n;
  }

  /**
   * {@code {"items": [job...], "nextCursor": "..." | null}}, each job as a {@linkplain #listItem
   * list item}.
   */
  public ObjectNode page(Page<Job> page) {
    ObjectNode n = nodes.objectNode();
    ArrayNode items = n.putArray("items");
    for (Job j : page.items()) items.add(listItem(j));
    n.put("nextCursor", page.nextCursor());
    return n;
  }

  /** Stored JSON ({@code args}, {@code result}) over this many characters is left out of lists. */
  public static final int LIST_MAX_VALUE_CHARS = 4096;

  private static int characters(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Errors a list item keeps (the newest), without stack traces. */
  public static final int LIST_MAX_ERRORS = 3;

  /**
   * A job as a list shows it, so that a page's size is bounded whatever its jobs hold: {@code args}
   * or {@code result} longer than {@value #LIST_MAX_VALUE_CHARS} characters is null, only the
   * newest {@value #LIST_MAX_ERRORS} errors are kept and without stack traces, and {@code
   * truncated} names what was left out (absent when nothing was). {@code GET /jobs/{id}} has all.
   */
  public ObjectNode listItem(Job j) {
    ObjectNode n = job(j);
    List<String> cut = new ArrayList<>();
    if (j.argsJson() != null && characters(j.argsJson()) > LIST_MAX_VALUE_CHARS) {
      n.putNull("args");
      cut.add("args");
    }
    if (j.resultJson() != null && characters(j.resultJson()) > LIST_MAX_VALUE_CHARS) {
      n.putNull("result");
      cut.add("result");
    }
    ArrayNode errors = (ArrayNode) n.get("errors");
    boolean stacks = false;
    for (JsonNode e : errors) stacks |= !e.path("stackTrace").isNull();
    if (errors.size() > LIST_MAX_ERRORS || stacks) {
      ArrayNode kept = n.putArray("errors");
      List<JobError> all = j.errors();
      for (JobError e : all.subList(Math.max(0, all.size() - LIST_MAX_ERRORS), all.size())) {
        kept.add(error(e).putNull("stackTrace"));
      }
      cut.add("errors");
    }
    JsonNode progress = n.get("progress");
    if (progress instanceof ObjectNode p
        && p.path("message").isString()
        && p.path("message").asString().length() > 1000) {
      p.put("message", p.path("message").asString().substring(0, 1000) + "…");
      cut.add("progress");
    }
    if (!cut.isEmpty()) {
      ArrayNode t = n.putArray("truncated");
      cut.forEach(t::add);
    }
    return n;
  }

  /** The event envelope: {@code id, type, time, jobId, jobType, queue, owner, data}. */
  public ObjectNode event(JobEvent e) {
    ObjectNode n = nodes.objectNode();
    n.put("id", e.id());
    n.put("type", e.type());
    n.put("time", instant(e.time()));
    n.put("jobId", e.jobId() == null ? null : e.jobId().toString());
    n.put("jobType", e.jobType());
    n.put("queue", e.queue());
    n.put("owner", e.owner());
    n.set(
        "data",
        e.dataJson() == null ? nodes.objectNode() : stored(e.dataJson(), e.jobId(), "event data"));
    return n;
  }

  /**
   * A queue: {@code name, counts (every state), oldestEnqueuedAge (ISO duration or null),
   * oldestEnqueuedAgeSeconds, paused}.
   */
  public ObjectNode queue(QueueInfo q) {
    ObjectNode n = nodes.objectNode();
    n.put("name", q.name());
    n.set("counts", stateCounts(q.counts()));
    n.put("oldestEnqueuedAge", duration(q.oldestEnqueuedAge()));
    if (q.oldestEnqueuedAge() == null) n.putNull("oldestEnqueuedAgeSeconds");
    else n.put("oldestEnqueuedAgeSeconds", q.oldestEnqueuedAge().toMillis() / 1000.0);
    n.put("paused", q.paused());
    n.put("depth", q.depth());
    if (q.maxDepth() == null) n.putNull("maxDepth");
    else n.put("maxDepth", q.maxDepth());
    return n;
  }

  /**
   * A server: {@code id, host, startedAt, lastHeartbeatAt, queues {name: concurrency}, running}.
   */
  public ObjectNode server(ServerInfo s) {
    ObjectNode n = nodes.objectNode();
    n.put("id", s.id());
    n.put("host", s.host());
    n.put("startedAt", instant(s.startedAt()));
    n.put("lastHeartbeatAt", instant(s.lastHeartbeatAt()));
    ObjectNode queues = n.putObject("queues");
    s.queues().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> queues.put(e.getKey(), e.getValue()));
    n.put("running", s.running());
    return n;
  }

  /** Every state, in lifecycle order, with 0 for states the map lacks. */
  public ObjectNode stateCounts(Map<JobState, Long> counts) {
    ObjectNode n = nodes.objectNode();
    for (JobState s : JobState.values()) n.put(s.wireName(), counts.getOrDefault(s, 0L));
    return n;
  }

  /**
   * {@code {"states": {...}, "throughput": [{"time", "completed", "failed"}...],
   * "throughputIntervalSeconds": 1}}, the throughput oldest second first.
   */
  public ObjectNode stats(Map<JobState, Long> counts, List<ThroughputTracker.Point> throughput) {
    ObjectNode n = nodes.objectNode();
    n.set("states", stateCounts(counts));
    ArrayNode points = n.putArray("throughput");
    for (ThroughputTracker.Point p : throughput) {
      ObjectNode o = points.addObject();
      o.put("time", instant(p.time()));
      o.put("completed", p.completed());
      o.put("failed", p.failed());
    }
    n.put("throughputIntervalSeconds", 1);
    return n;
  }

  /**
   * RFC 9457: {@code type, title, status, detail, instance, errors [{pointer|parameter, code,
   * message}]}.
   */
  public ObjectNode problem(Problem p, String instance) {
    ObjectNode n = nodes.objectNode();
    n.put("type", p.type());
    n.put("title", p.title());
    n.put("status", p.status());
    n.put("detail", p.detail());
    n.put("instance", ProblemMapper.shorten(instance));
    p.members().forEach(n::put);
    ArrayNode errors = n.putArray("errors");
    for (FieldError e : p.errors()) {
      ObjectNode o = errors.addObject();
      if (e.parameter() != null) o.put("parameter", e.parameter());
      else o.put("pointer", ProblemMapper.shorten(e.pointer()));
      o.put("code", e.code());
      o.put("message", ProblemMapper.shorten(e.message()));
    }
    return n;
  }

  private ObjectNode progress(JobProgress p) {
    if (p == null) return null;
    ObjectNode n = nodes.objectNode();
    n.put("percent", p.percent());
    n.put("message", p.message());
    n.put("step", p.step());
    n.put("steps", p.steps());
    return n;
  }

  private ObjectNode error(JobError e) {
    ObjectNode n = nodes.objectNode();
    n.put("attempt", e.attempt());
    n.put("at", instant(e.at()));
    n.put("type", e.type());
    n.put("message", e.message());
    n.put("stackTrace", e.stackTrace());
    return n;
  }

  private ObjectNode history(HistoryEntry h) {
    ObjectNode n = nodes.objectNode();
    n.put("state", h.state().wireName());
    n.put("at", instant(h.at()));
    n.put("reason", h.reason());
    n.put("server", h.server());
    return n;
  }

  /** JSON the store holds, embedded as JSON; text that does not parse is kept as a string. */
  private JsonNode stored(String json, UUID jobId, String what) {
    try {
      return mapper.readTree(json);
    } catch (JacksonException e) {
      log.warn(
          "taskflow-web: job {} has {} that are not valid JSON; sent as a string", jobId, what);
      return nodes.stringNode(json);
    }
  }

  /** ISO-8601 in UTC ({@code 2026-01-01T10:00:00Z}), or null. */
  public static String instant(Instant t) {
    return t == null ? null : t.toString();
  }

  /** ISO-8601 ({@code PT30S}), or null. */
  public static String duration(Duration d) {
    return d == null ? null : d.toString();
  }
}
