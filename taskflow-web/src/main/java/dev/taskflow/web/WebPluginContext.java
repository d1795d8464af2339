package dev.taskflow.web;

import dev.taskflow.TaskFlowClient;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * What a {@link WebPlugin} gets while it is mounted: the client the server talks to, its settings
 * and helpers, and two ways to add routes: {@link #api} for JSON routes under {@link
 * TaskFlowWeb#API} (errors become problems, requests are counted in {@code /metrics}) and {@link
 * #routes()} for anything else, such as HTML pages.
 */
public final class WebPluginContext {
  private final TaskFlowClient client;
  private final WebConfig config;
  private final RoutesConfig routes;
  private final ApiRouter router;
  private final RequestBodies bodies;
  private final StreamLimits limits;
  private final ThroughputTracker throughput;
  private final Lifecycle lifecycle;

  /** What the server does with a plugin's streams and shutdown hooks. */
  interface Lifecycle {
    void onStop(Runnable action);

    void openStreams(IntSupplier count);
  }

  WebPluginContext(
      TaskFlowClient client,
      WebConfig config,
      RoutesConfig routes,
      ApiRouter router,
      RequestBodies bodies,
      StreamLimits limits,
      ThroughputTracker throughput,
      Lifecycle lifecycle) {
    this.client = client;
    this.config = config;
    this.routes = routes;
    this.router = router;
    this.bodies = bodies;
    this.limits = limits;
    this.throughput = throughput;
    this.lifecycle = lifecycle;
  }

  /** The TaskFlow the server serves: the only way to reach jobs (never a store or the engine). */
  public TaskFlowClient client() {
    return client;
  }

  /** The server's settings. */
  public WebConfig config() {
    return config;
  }

  /**
   * Adds a JSON route at {@link TaskFlowWeb#API} + {@code path} ({@code "/webhooks/{id}"}). What
   * the handler throws is answered as a problem ({@link ProblemMapper}), and the request is counted
   * by its route template in {@code /metrics}.
   */
  public void api(HandlerType method, String path, Handler handler) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("an API path starts with /, was '" + path + "'");
    }
    route(method, TaskFlowWeb.API + path, handler);
  }

  /**
   * Like {@link #api}, at a path outside {@link TaskFlowWeb#API} (such as {@code /health}): the
   * handler's failures are answered as problems and the request is counted in {@code /metrics}.
   */
  public void route(HandlerType method, String path, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    router.route(routes, method, path, handler);
  }

  /**
   * Javalin's routes, for pages outside the API (the {@link BrowserGuard} still runs first). Such
   * routes answer their own errors.
   */
  public RoutesConfig routes() {
    return routes;
  }

  /** The one writer of the API's JSON: jobs, events, problems. */
  public ApiJson json() {
    return router.json();
  }

  /** The one reader of request bodies, with the server's limits. */
  public RequestBodies bodies() {
    return bodies;
  }

  /** The server's bound on event streams, shared by SSE, the WebSocket and plugins' streams. */
  public StreamLimits streamLimits() {
    return limits;
  }

  /** The completed/failed-per-second counter behind {@code GET /stats}. */
  public ThroughputTracker throughput() {
    return throughput;
  }

  /** Requests served, for {@code /metrics}. */
  public Metrics metrics() {
    return router.metrics();
  }

  /** Runs {@code action} when the server stops, before it stops listening (end open streams). */
  public void onStop(Runnable action) {
    lifecycle.onStop(Objects.requireNonNull(action, "action"));
  }

  /** Counts the plugin's open streams in {@link TaskFlowWeb#openStreams()}. */
  public void openStreams(IntSupplier count) {
    lifecycle.openStreams(Objects.requireNonNull(count, "count"));
  }
}
