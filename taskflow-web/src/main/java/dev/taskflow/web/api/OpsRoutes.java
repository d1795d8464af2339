package dev.taskflow.web.api;

import dev.taskflow.InvalidJobException;
import dev.taskflow.JobState;
import dev.taskflow.QueueInfo;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Metrics;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.ThroughputTracker;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Queues, servers, stats, health and metrics. */
final class OpsRoutes {
  private static final Logger log = LoggerFactory.getLogger(OpsRoutes.class);
  private static final int MAX_QUEUE_NAME = 64;

  private final TaskFlowClient client;
  private final ApiJson json;
  private final ThroughputTracker throughput;
  private final Metrics metrics;
  private final IntSupplier openStreams;

  OpsRoutes(
      TaskFlowClient client,
      ApiJson json,
      ThroughputTracker throughput,
      Metrics metrics,
      IntSupplier openStreams) {
    this.client = client;
    this.json = json;
    this.throughput = throughput;
    this.metrics = metrics;
    this.openStreams = openStreams;
  }

  /** {@code {"queues": [{name, counts, oldestEnqueuedAge, oldestEnqueuedAgeSeconds, paused}]}}. */
  void queues(Context ctx) {
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("queues");
    sortedQueues().forEach(q -> items.add(json.queue(q)));
    json.send(ctx, 200, out);
  }

  void pause(Context ctx) {
    changeQueue(ctx, client.queues()::pause, true);
  }

  void resume(Context ctx) {
    changeQueue(ctx, client.queues()::resume, false);
  }

  /** 200 + the queue after the change. */
  private void changeQueue(Context ctx, Consumer<String> action, boolean paused) {
    String name = ctx.pathParam("name");
    if (name.isEmpty() || name.length() > MAX_QUEUE_NAME || name.indexOf('\0') >= 0) {
      throw Problem.invalid(
          FieldError.param(
              "name", "length", "a queue name is 1.." + MAX_QUEUE_NAME + " characters"));
    }
    try {
      action.accept(name);
    } catch (InvalidJobException e) {
      throw ProblemMapper.asParameter(e, "name");
    }
    QueueInfo q =
        client.queues().list().stream()
            .filter(i -> i.name().equals(name))
            .findFirst()
            .orElseGet(() -> new QueueInfo(name, Map.of(), null, paused));
    json.send(ctx, 200, json.queue(q));
  }

  /** {@code {"servers": [{id, host, startedAt, lastHeartbeatAt, queues, running}]}}. */
  void servers(Context ctx) {
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("servers");
    client.cluster().servers().stream()
        .sorted(Comparator.comparing(ServerInfo::id))
        .forEach(s -> items.add(json.server(s)));
    json.send(ctx, 200, out);
  }

  /** {@code {"states": {...}, "throughput": [...]}}: counts from counters, throughput in memory. */
  void stats(Context ctx) {
    json.send(ctx, 200, json.stats(client.cluster().stateCounts(), throughput.snapshot()));
  }

  /**
   * 200 {@code {"status":"ok"}} when the store answers, else 503 {@code {"status":"unavailable"}}.
   */
  void health(Context ctx) {
    ObjectNode out = json.object();
    try {
      client.cluster().stateCounts();
      out.put("status", "ok");
      json.send(ctx, 200, out);
    } catch (StorageException e) {
      log.warn("taskflow-web: health check failed, the store is unavailable: {}", e.toString());
      out.put("status", "unavailable");
      out.put("detail", "the job store is unavailable");
      ctx.header("Retry-After", "5");
      json.send(ctx, 503, out);
    }
  }

  /** Prometheus text. */
  void metrics(Context ctx) {
    Map<JobState, Long> states = client.cluster().stateCounts();
    String text = metrics.render(states, sortedQueues(), openStreams.getAsInt());
    ctx.status(200);
    ctx.contentType(Metrics.CONTENT_TYPE);
    ctx.result(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The store's queues, plus queues a live server runs that hold no job yet, by name. */
  private List<QueueInfo> sortedQueues() {
    Map<String, QueueInfo> byName = new TreeMap<>();
    for (ServerInfo s : client.cluster().servers()) {
      for (String q : s.queues().keySet()) byName.put(q, new QueueInfo(q, Map.of(), null, false));
    }
    for (QueueInfo q : client.queues().list()) byName.put(q.name(), q);
    return List.copyOf(byName.values());
  }
}
