package dev.taskflow.web;

import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.api.ApiRoutes;
import dev.taskflow.web.stream.EventStreams;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskFlow HTTP API v1 (DESIGN §5) on Javalin, with virtual-thread handlers: the JSON API, SSE
 * and the WebSocket, plus the routes of the {@linkplain WebPlugin plugins} given to it (webhooks,
 * the dashboard). It talks to TaskFlow only through {@link TaskFlowClient}, so it serves an
 * embedded engine and a remote one alike.
 *
 * {@snippet :
 * try (TaskFlowWeb web = TaskFlowWeb.create(taskFlow, WebConfig.builder().port(8080).build())) {
 *   web.start();
 *   // http://127.0.0.1:8080/api/v1/jobs
 * }
 * }
 *
 * <p>To serve the API from an application's own Javalin instead, call {@link #mount(JavalinConfig)}
 * inside its {@code Javalin.create(config -> ...)}, and {@link #close()} this object when the
 * application stops.
 */
public final class TaskFlowWeb implements AutoCloseable {
  /** The base path of HTTP API v1. */
  public static final String API = "/api/v1";

  private static final Logger log = LoggerFactory.getLogger(TaskFlowWeb.class);

  private final TaskFlowClient client;
  private final WebConfig config;
  private final List<WebPlugin> plugins;
  private final ApiJson json = new ApiJson();
  private final Metrics metrics = new Metrics();
  private final StreamLimits limits;
  private final EventStreams events = new EventStreams();
  private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
  private final List<IntSupplier> streams = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private ThroughputTracker throughput;
  private Javalin javalin;

  private TaskFlowWeb(TaskFlowClient client, WebConfig config, List<WebPlugin> plugins) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.plugins = List.copyOf(plugins);
    this.limits = new StreamLimits(config);
  }

  /** The API with the default settings and no plugins. */
  public static TaskFlowWeb create(TaskFlowClient client) {
    return new TaskFlowWeb(client, WebConfig.defaults(), List.of());
  }

  /**
   * The API with these settings, and the routes of {@code plugins} (in this order, after the API's
   * own), such as {@code WebhookDelivery} and {@code DashboardPlugin}.
   */
  public static TaskFlowWeb create(TaskFlowClient client, WebConfig config, WebPlugin... plugins) {
    return new TaskFlowWeb(client, config, List.of(plugins));
  }

  /**
   * Starts a Javalin server on {@link WebConfig#host()}:{@link WebConfig#port()}.
   *
   * @throws IllegalStateException when already started
   */
  public TaskFlowWeb start() {
    lock.lock();
    try {
      if (javalin != null) {
        throw new IllegalStateException("TaskFlowWeb already listens on port " + javalin.port());
      }
      Javalin app =
          Javalin.create(
              cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                mount(cfg);
              });
      app.start(config.host(), config.port());
      javalin = app;
      log.info(
          "taskflow-web: HTTP API v1 listening on http://{}:{}{}{}",
          config.host(),
          app.port(),
          API,
          plugins.isEmpty()
              ? ""
              : ", with " + String.join(", ", plugins.stream().map(WebPlugin::name).toList()));
      return this;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds the API's routes and the plugins' to a Javalin being configured (Javalin 7 takes routes
   * only at configuration time). Enable {@code config.concurrency.useVirtualThreads}: SSE streams
   * hold their request thread.
   */
  public void mount(JavalinConfig javalinConfig) {
    RequestBodies bodies = new RequestBodies(config);
    ProblemMapper problems = new ProblemMapper(json);
    ApiRouter router = new ApiRouter(json, problems, metrics);
    BrowserGuard guard = new BrowserGuard(config, problems);
    javalinConfig.routes.before(guard::beforeHttp);
    javalinConfig.routes.wsBeforeUpgrade(guard::beforeUpgrade);
    WebPluginContext context =
        new WebPluginContext(
            client,
            config,
            javalinConfig.routes,
            router,
            bodies,
            limits,
            throughput(),
            new WebPluginContext.Lifecycle() {
              @Override
              public void onStop(Runnable action) {
                onStop.add(action);
              }

              @Override
              public void openStreams(IntSupplier count) {
                streams.add(count);
              }
            });
    new ApiRoutes(events::sseStreams).mount(context);
    events.mount(context);
    for (WebPlugin plugin : plugins) plugin.mount(context);
    router.fallbacks(javalinConfig.routes);
  }

  /** The port listened on (the chosen one when configured with 0). */
  public int port() {
    lock.lock();
    try {
      if (javalin == null) throw new IllegalStateException("TaskFlowWeb is not started");
      return javalin.port();
    } finally {
      lock.unlock();
    }
  }

  public WebConfig config() {
    return config;
  }

  /** The completed/failed-per-second counter behind {@code GET /stats}, started on first use. */
  public ThroughputTracker throughput() {
    lock.lock();
    try {
      if (throughput == null) {
        throughput = ThroughputTracker.start(client, config.throughputWindow());
      }
      return throughput;
    } finally {
      lock.unlock();
    }
  }

  /** SSE streams, WebSocket connections and plugins' streams (the dashboard's) open now. */
  public int openStreams() {
    return streams.stream().mapToInt(IntSupplier::getAsInt).sum();
  }

  /** Ends open streams, stops the server (if {@link #start()}ed) and the throughput counter. */
  public void stop() {
    lock.lock();
    try {
      onStop.forEach(Runnable::run);
      if (javalin != null) {
        javalin.stop();
        javalin = null;
        log.info("taskflow-web: HTTP API stopped");
      }
      if (throughput != null) {
        throughput.close();
        throughput = null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
