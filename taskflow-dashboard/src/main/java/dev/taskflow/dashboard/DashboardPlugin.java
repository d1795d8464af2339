package dev.taskflow.dashboard;

import dev.taskflow.web.WebPlugin;
import dev.taskflow.web.WebPluginContext;

/**
 * The live dashboard as a plugin of the web server: its pages, live streams and assets are mounted
 * at {@link #basePath()} next to the API, behind the same browser guard, and its live streams count
 * against the server's {@code maxEventStreams} with the API's.
 *
 * {@snippet :
 * TaskFlowWeb.create(taskflow, WebConfig.defaults(), DashboardPlugin.defaults()).start();
 * // http://127.0.0.1:8080/
 * }
 *
 * @param basePath where the pages are: {@code ""} for the root, else e.g. {@code /ops}
 * @param readOnly show everything, change nothing: no action buttons, and every dashboard {@code
 *     POST} is refused with 403
 */
public record DashboardPlugin(String basePath, boolean readOnly) implements WebPlugin {
  public DashboardPlugin {
    Dashboard.checkBasePath(basePath);
  }

  /** At the root, with actions. */
  public static DashboardPlugin defaults() {
    return new DashboardPlugin("", false);
  }

  public DashboardPlugin withReadOnly(boolean readOnly) {
    return new DashboardPlugin(basePath, readOnly);
  }

  public DashboardPlugin withBasePath(String basePath) {
    return new DashboardPlugin(basePath, readOnly);
  }

  @Override
  public void mount(WebPluginContext web) {
    Dashboard dashboard =
        new Dashboard(web.client(), web.throughput(), basePath, readOnly, web.streamLimits());
    dashboard.register(web.routes());
    web.onStop(dashboard::close);
    web.openStreams(dashboard::openStreams);
  }

  @Override
  public String name() {
    return "dashboard at "
        + (basePath.isEmpty() ? "/" : basePath)
        + (readOnly ? " (read-only)" : "");
  }
}
