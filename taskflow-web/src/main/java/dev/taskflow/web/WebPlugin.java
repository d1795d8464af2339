package dev.taskflow.web;

/**
 * Routes an optional module adds to the web server: webhooks ({@code taskflow-webhooks}' {@code
 * WebhookDelivery}), the dashboard ({@code taskflow-dashboard}' {@code DashboardPlugin}), or an
 * application's own. Pass plugins to {@link TaskFlowWeb#create(dev.taskflow.TaskFlowClient,
 * WebConfig, WebPlugin...)}; each is mounted with the server's own routes, so it runs behind the
 * same {@link BrowserGuard} and, under {@code /api/v1}, with the same problem answers and request
 * metrics.
 *
 * {@snippet :
 * WebPlugin hello = web -> web.api(HandlerType.GET, "/hello", ctx -> ctx.result("hi"));
 * TaskFlowWeb.create(taskflow, WebConfig.defaults(), hello).start(); // GET /api/v1/hello
 * }
 *
 * <p>The tools a route needs are public API of this module: {@link Problem} and {@link FieldError}
 * to refuse a request (mapped to RFC 9457 by {@link ProblemMapper}), {@link Params} for path and
 * query parameters, {@link RequestBodies} for JSON bodies, {@link ApiJson} to answer.
 */
@FunctionalInterface
public interface WebPlugin {
  /**
   * Adds the plugin's routes through {@code web}; called once per mount (every {@link
   * TaskFlowWeb#start()} or {@link TaskFlowWeb#mount}), while Javalin is being configured.
   */
  void mount(WebPluginContext web);

  /** A short name for the server's start-up log line, such as {@code dashboard}. */
  default String name() {
    return getClass().getSimpleName();
  }
}
