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
import java.util.List;
import java.util.Map;

/**
 * How every API route runs, whoever added it: inside {@link #serve}, which maps whatever the
 * handler throws through {@link ProblemMapper} and counts the request for {@code /metrics}; and
 * what answers a path or method no route serves ({@link #fallbacks}, added after all routes).
 */
final class ApiRouter {
  private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";

  /**
   * Paths that optional modules serve, with what a server lacking them is missing: asked for such a
   * path, it says so instead of "no route".
   */
  private static final Map<String, String> OPTIONAL =
      Map.of(
          TaskFlowWeb.API + "/webhooks",
          "webhooks are not available on this server: it needs the WebhookDelivery plugin"
              + " (TaskFlowBuilder.plugin; the taskflow server installs it)");

  private final ApiJson json;
  private final ProblemMapper problems;
  private final Metrics metrics;

  ApiRouter(ApiJson json, ProblemMapper problems, Metrics metrics) {
    this.json = json;
    this.problems = problems;
    this.metrics = metrics;
  }

  ApiJson json() {
    return json;
  }

  Metrics metrics() {
    return metrics;
  }

  void route(RoutesConfig r, HandlerType method, String path, Handler handler) {
    r.addHttpHandler(method, path, ctx -> serve(ctx, method, path, handler));
  }

  /** Last, so that they match only what no route matched: a problem, not Javalin's 404 page. */
  void fallbacks(RoutesConfig r) {
    for (HandlerType method : List.of(GET, POST, PUT, PATCH, DELETE)) {
      route(r, method, TaskFlowWeb.API, ApiRouter::noRoute);
      route(r, method, TaskFlowWeb.API + "/<path>", ApiRouter::noRoute);
    }
    for (HandlerType method : List.of(HandlerType.OPTIONS, HandlerType.TRACE)) {
      route(r, method, TaskFlowWeb.API, ApiRouter::methodNotAllowed);
      route(r, method, TaskFlowWeb.API + "/<path>", ApiRouter::methodNotAllowed);
    }
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
            + TaskFlowWeb.API
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
        Map.of("Allow", ALLOWED_METHODS));
  }

  private static void noRoute(Context ctx) {
    String path = ctx.path();
    for (Map.Entry<String, String> o : OPTIONAL.entrySet()) {
      if (path.equals(o.getKey()) || path.startsWith(o.getKey() + "/")) {
        throw Problem.notFound("path", o.getValue());
      }
    }
    throw Problem.notFound(
        "path",
        "no route "
            + ctx.method().name()
            + " "
            + ProblemMapper.shorten(path)
            + "; the API v1 routes are under "
            + TaskFlowWeb.API);
  }
}
