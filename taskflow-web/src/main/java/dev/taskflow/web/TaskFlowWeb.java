package dev.taskflow.web;

import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.dashboard.Dashboard;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskFlow HTTP API v1 (DESIGN §5) on Javalin, with virtual-thread handlers. It talks to
 * TaskFlow only through {@link TaskFlowClient}, so it serves an embedded engine and a remote one
 * alike.
 *
 * {@snippet :
 * try (TaskFlowWeb web = TaskFlowWeb.create(taskFlow, WebConfig.builder().port(8080).build())) {
 *   web.start();
 *   // http://127.0.0.1:8080/api/v1/jobs
 * }
 * }
 *
 * <p>The live dashboard is served at {@code /} too, unless {@link WebConfig#dashboard()} is off
 * (see {@code docs/dashboard.md}).
 *
 * <p>To serve the API from an application's own Javalin instead, call {@link #mount(JavalinConfig)}
 * inside its {@code Javalin.create(config -> ...)}, and {@link #close()} this object when the
 * application stops.
 */
public final class TaskFlowWeb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskFlowWeb.class);

  private final TaskFlowClient client;
  private final WebConfig config;
  private final ApiJson json = new ApiJson();
  private final Metrics metrics = new Metrics();
  private final StreamLimits limits;
  private final EventRoutes events;
  private final List<WsRoutes> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Dashboard> dashboards = new CopyOnWriteArrayList<>();
  private ThroughputTracker throughput;
  private Javalin javalin;

  private TaskFlowWeb(TaskFlowClient client, WebConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.limits = new StreamLimits(config);
    this.events = new EventRoutes(client, json, config, limits);
  }

  public static TaskFlowWeb create(TaskFlowClient client) {
    return new TaskFlowWeb(client, WebConfig.defaults());
  }

  public static TaskFlowWeb create(TaskFlowClient client, WebConfig config) {
    return new TaskFlowWeb(client, config);
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
          ApiRoutes.API,
          !config.dashboard()
              ? ""
              : ", dashboard on http://"
                  + config.host()
                  + ":"
                  + app.port()
                  + "/"
                  + (config.dashboardReadOnly() ? " (read-only)" : ""));
      return this;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds the API's routes to a Javalin being configured (Javalin 7 takes routes only at
   * configuration time). Enable {@code config.concurrency.useVirtualThreads}: SSE streams hold
   * their request thread.
   */
  public void mount(JavalinConfig javalinConfig) {
    RequestBodies bodies = new RequestBodies(config);
    JobRequestParser parser = new JobRequestParser(bodies.mapper(), client.cluster()::maxArgsBytes);
    ThroughputTracker tracker = throughput();
    ProblemMapper problems = new ProblemMapper(json);
    BrowserGuard guard = new BrowserGuard(config, problems);
    javalinConfig.routes.before(guard::beforeHttp);
    javalinConfig.routes.wsBeforeUpgrade(guard::beforeUpgrade);
    WsRoutes ws =
        new WsRoutes(
            client,
            json,
            bodies,
            config.sseBufferEvents(),
            config.pingInterval().toMillis(),
            limits);
    sockets.add(ws);
    new ApiRoutes(
            new JobRoutes(client, json, bodies, parser),
            events,
            new OpsRoutes(client, json, tracker, metrics, events::openStreams),
            new WorkerRoutes(client.remoteWorkers(), json, bodies),
            ws,
            new WebhookRoutes(client, json, bodies, config),
            new LimitRoutes(client, json, bodies),
            new RecurringRoutes(client, json, bodies, parser),
            new ControlRoutes(client, json, bodies),
            new BatchRoutes(client, json, bodies, parser),
            problems,
            metrics)
        .register(javalinConfig.routes);
    if (config.dashboard()) {
      Dashboard dashboard = new Dashboard(client, tracker, "", config.dashboardReadOnly(), limits);
      dashboard.register(javalinConfig.routes);
      dashboards.add(dashboard);
    }
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

  /** SSE streams and WebSocket connections open now (API and dashboard). */
  public int openStreams() {
    return events.openStreams()
        + dashboards.stream().mapToInt(Dashboard::openStreams).sum()
        + sockets.stream().mapToInt(WsRoutes::openConnections).sum();
  }

  /** Ends open SSE streams, stops the server (if {@link #start()}ed) and the throughput counter. */
  public void stop() {
    lock.lock();
    try {
      events.closeAll();
      sockets.forEach(WsRoutes::closeAll);
      dashboards.forEach(Dashboard::close);
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
