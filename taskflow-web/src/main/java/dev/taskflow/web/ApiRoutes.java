package dev.taskflow.web;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsHandlerType;
import java.util.List;

/**
 * The route table of HTTP API v1. Every handler runs inside {@link #serve}, which maps whatever it
 * throws through {@link ProblemMapper} and counts the request for {@code /metrics}.
 */
final class ApiRoutes {
  static final String API = "/api/v1";

  private final JobRoutes jobs;
  private final EventRoutes events;
  private final OpsRoutes ops;
  private final WorkerRoutes workers;
  private final WsRoutes ws;
  private final WebhookRoutes webhooks;
  private final LimitRoutes limits;
  private final RecurringRoutes recurring;
  private final ControlRoutes controls;
  private final BatchRoutes batches;
  private final ProblemMapper problems;
  private final Metrics metrics;

  ApiRoutes(
      JobRoutes jobs,
      EventRoutes events,
      OpsRoutes ops,
      WorkerRoutes workers,
      WsRoutes ws,
      WebhookRoutes webhooks,
      LimitRoutes limits,
      RecurringRoutes recurring,
      ControlRoutes controls,
      BatchRoutes batches,
      ProblemMapper problems,
      Metrics metrics) {
    this.jobs = jobs;
    this.workers = workers;
    this.ws = ws;
    this.webhooks = webhooks;
    this.limits = limits;
    this.recurring = recurring;
    this.controls = controls;
    this.batches = batches;
    this.events = events;
    this.ops = ops;
    this.problems = problems;
    this.metrics = metrics;
  }

  void register(RoutesConfig r) {
    // method  path                                 handler
    route(r, POST, API + "/jobs", jobs::enqueue);
    route(r, POST, API + "/jobs/batch", jobs::enqueueBatch);
    route(r, GET, API + "/jobs", jobs::list);
    route(r, GET, API + "/jobs/{id}", jobs::get);
    route(r, POST, API + "/jobs/{id}/cancel", jobs::cancel);
    route(r, POST, API + "/jobs/{id}/retry", jobs::retry);
    route(r, DELETE, API + "/jobs/{id}", jobs::delete);
    route(r, GET, API + "/jobs/{id}/events", events::job);
    route(r, GET, API + "/events", events::all);
    route(r, POST, API + "/workers/lease", workers::lease);
    route(r, POST, API + "/jobs/{id}/heartbeat", workers::heartbeat);
    route(r, POST, API + "/jobs/{id}/complete", workers::complete);
    route(r, POST, API + "/jobs/{id}/fail", workers::fail);
    route(r, POST, API + "/jobs/{id}/events", workers::event);
    r.addWsHandler(WsHandlerType.WEBSOCKET, API + "/ws", ws::configure);
    route(r, POST, API + "/webhooks", webhooks::create);
    route(r, GET, API + "/webhooks", webhooks::list);
    route(r, GET, API + "/webhooks/{id}", webhooks::get);
    route(r, PATCH, API + "/webhooks/{id}", webhooks::patch);
    route(r, DELETE, API + "/webhooks/{id}", webhooks::delete);
    route(r, POST, API + "/webhooks/{id}/rotate-secret", webhooks::rotateSecret);
    route(r, POST, API + "/webhooks/{id}/test", webhooks::test);
    route(r, GET, API + "/webhooks/{id}/deliveries", webhooks::deliveries);
    route(r, POST, API + "/batches", batches::create);
    route(r, GET, API + "/batches/{id}", batches::get);
    route(r, GET, API + "/limits", limits::list);
    route(r, GET, API + "/limits/{name}", limits::get);
    route(r, PUT, API + "/limits/{name}", limits::put);
    route(r, DELETE, API + "/limits/{name}", limits::delete);
    route(r, GET, API + "/recurring", recurring::list);
    route(r, GET, API + "/recurring/{id}", recurring::get);
    route(r, PUT, API + "/recurring/{id}", recurring::put);
    route(r, DELETE, API + "/recurring/{id}", recurring::delete);
    route(r, POST, API + "/recurring/{id}/pause", recurring::pause);
    route(r, POST, API + "/recurring/{id}/resume", recurring::resume);
    route(r, POST, API + "/recurring/{id}/trigger", recurring::trigger);
    route(r, GET, API + "/queues", ops::queues);
    route(r, POST, API + "/queues/{name}/pause", ops::pause);
    route(r, POST, API + "/queues/{name}/resume", ops::resume);
    route(r, PATCH, API + "/queues/{name}", controls::patchQueue);
    route(r, GET, API + "/resources", controls::resources);
    route(r, GET, API + "/servers", ops::servers);
    route(r, GET, API + "/stats", ops::stats);
    route(r, GET, "/health", ops::health);
    route(r, GET, "/metrics", ops::metrics);
    // Last, so that they match only what nothing above matched: a problem, not Javalin's 404 page.
    for (HandlerType method : List.of(GET, POST, PUT, PATCH, DELETE)) {
      route(r, method, API, ApiRoutes::noRoute);
      route(r, method, API + "/<path>", ApiRoutes::noRoute);
    }
    for (HandlerType method : List.of(HandlerType.OPTIONS, HandlerType.TRACE)) {
      route(r, method, API, ApiRoutes::methodNotAllowed);
      route(r, method, API + "/<path>", ApiRoutes::methodNotAllowed);
    }
  }

  private void route(RoutesConfig r, HandlerType method, String path, Handler handler) {
    r.addHttpHandler(method, path, ctx -> serve(ctx, method, path, handler));
  }

  private void serve(Context ctx, HandlerType method, String path, Handler handler) {
    try {
      handler.handle(ctx);
    } catch (Exception e) {
      problems.respond(ctx, e);
    } finally {
      metrics.countRequest(method.name(), path, ctx.statusCode());
    }
  }

  /** 405 for OPTIONS and TRACE: the API has no CORS preflight and echoes nothing back. */
  private static void methodNotAllowed(Context ctx) {
    throw methodNotAllowed(ctx.method().name());
  }

  /** The 405 of a method the API does not serve, with the methods it does in {@code Allow}. */
  static Problem methodNotAllowed(String method) {
    String detail =
        ProblemMapper.shorten(method)
            + " is not served under "
            + API
            + " (no CORS: browser pages of other origins are refused); each route takes "
            + ALLOWED_METHODS
            + " as docs/http-api.md lists";
    return Problem.onParameter(
        405,
        "method-not-allowed",
        "Method not allowed",
        "method",
        "method_not_allowed",
        detail,
        java.util.Map.of("Allow", ALLOWED_METHODS));
  }

  private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";

  private static void noRoute(Context ctx) {
    throw Problem.notFound(
        "path",
        "no route "
            + ctx.method().name()
            + " "
            + ProblemMapper.shorten(ctx.path())
            + "; the API v1 routes are under "
            + API);
  }
}
