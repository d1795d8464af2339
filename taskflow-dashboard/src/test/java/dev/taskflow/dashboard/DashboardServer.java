package dev.taskflow.dashboard;

import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import dev.taskflow.web.WebPlugin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real TaskFlow on the in-memory store with the API and dashboard on a random port. Job types:
 * {@code demo.echo} (result = args), {@code demo.fail} (always throws, with the args' {@code
 * message} in the error), {@code demo.chatty} (logs, emits a custom event, reports progress),
 * {@code test.block} (runs until {@link #releaseBlocked()}).
 */
final class DashboardServer implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final TaskFlow taskflow;
  final TaskFlowWeb web;
  final URI base;
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile CountDownLatch gate = new CountDownLatch(1);

  private DashboardServer(Consumer<WebConfig.Builder> webConfig, WebPlugin... plugins) {
    this(new InMemoryStorage(Clock.systemUTC()), webConfig, plugins);
  }

  private DashboardServer(
      Storage storage, Consumer<WebConfig.Builder> webConfig, WebPlugin... plugins) {
    this.taskflow =
        TaskFlow.builder()
            .storage(storage)
            .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
            .worker(
                "demo.fail",
                JsonNode.class,
                (args, ctx) -> {
                  throw new IllegalStateException(
                      "demo.fail failed: " + args.path("message").asString("on purpose"));
                })
            .worker(
                "demo.chatty",
                JsonNode.class,
                (args, ctx) -> {
                  ctx.log(args.path("log").asString("hello from the job"));
                  ctx.emit("demo.step_done", Map.of("step", 1));
                  ctx.progress(40, args.path("progress").asString("working"));
                  return Map.of("ok", true);
                })
            .worker(
                "test.block",
                JsonNode.class,
                (args, ctx) -> {
                  gate.await();
                  return null;
                })
            .queue("default", q -> q.concurrency(4))
            .queue("side", q -> q.concurrency(2))
            .pollInterval(Duration.ofMillis(50))
            .eventPollInterval(Duration.ofMillis(20))
            .shutdownGrace(Duration.ofMillis(200))
            .build()
            .start();
    WebConfig.Builder cfg = WebConfig.builder().port(0);
    webConfig.accept(cfg);
    this.web = TaskFlowWeb.create(taskflow, cfg.build(), plugins).start();
    this.base = URI.create("http://127.0.0.1:" + web.port());
  }

  /** The API and the dashboard at the root, with actions. */
  static DashboardServer start() {
    return start(DashboardPlugin.defaults());
  }

  static DashboardServer start(DashboardPlugin dashboard) {
    return new DashboardServer(c -> {}, dashboard);
  }

  static DashboardServer start(Consumer<WebConfig.Builder> webConfig, DashboardPlugin dashboard) {
    return new DashboardServer(webConfig, dashboard);
  }

  /** The API and the dashboard on another store (e.g. one that keeps only the SPI's core). */
  static DashboardServer on(Storage storage) {
    return new DashboardServer(storage, c -> {}, DashboardPlugin.defaults());
  }

  /** The API alone: the server without the dashboard plugin. */
  static DashboardServer withoutDashboard() {
    return new DashboardServer(c -> {});
  }

  String url(String path) {
    return base.resolve(path).toString();
  }

  void releaseBlocked() {
    CountDownLatch old = gate;
    gate = new CountDownLatch(1);
    old.countDown();
  }

  /** Enqueues through the HTTP API and returns the job's id. */
  String enqueue(String json) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    if (r.statusCode() != 201) throw new AssertionError("enqueue failed: " + r.body());
    return JSON.readTree(r.body()).get("id").asString();
  }

  /** The job as the API shows it. */
  JsonNode job(String id) {
    return JSON.readTree(get("/api/v1/jobs/" + id).body());
  }

  String state(String id) {
    return job(id).get("state").asString();
  }

  /** {@code GET /api/v1/stats} states. */
  Map<JobState, Long> apiCounts() {
    JsonNode states = JSON.readTree(get("/api/v1/stats").body()).get("states");
    Map<JobState, Long> out = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) out.put(s, states.path(s.wireName()).asLong(0));
    return out;
  }

  /** The ids the API lists for a query string such as {@code state=failed}. */
  List<String> apiList(String query) {
    JsonNode items = JSON.readTree(get("/api/v1/jobs?" + query).body()).get("items");
    return items.valueStream().map(n -> n.get("id").asString()).toList();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    releaseBlocked();
    web.close();
    taskflow.close();
  }
}
