package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.web.ThroughputTracker;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboard mounted under a prefix in an application's own Javalin. */
class DashboardMountTest {

  @Test
  void a_dashboard_under_a_prefix_links_only_inside_it() throws Exception {
    try (TaskFlow taskflow =
            TaskFlow.builder()
                .storage(new InMemoryStorage(Clock.systemUTC()))
                .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
                .build()
                .start();
        ThroughputTracker tracker = ThroughputTracker.start(taskflow, Duration.ofMinutes(1));
        Dashboard dashboard = new Dashboard(taskflow, tracker, "/ops", false)) {
      Javalin app =
          Javalin.create(
                  cfg -> {
                    cfg.concurrency.useVirtualThreads = true;
                    cfg.startup.showJavalinBanner = false;
                    dashboard.register(cfg.routes);
                  })
              .start("127.0.0.1", 0);
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + app.port());
        HttpResponse<String> page =
            http.send(
                HttpRequest.newBuilder(base.resolve("/ops/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> css =
            http.send(
                HttpRequest.newBuilder(base.resolve("/ops/assets/dashboard.css")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
            .contains("href=\"/ops/assets/dashboard.css\"", "sse-connect=\"/ops/live/jobs\"")
            .doesNotContain("href=\"/jobs", "src=\"/assets");
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).contains("Path=/ops;");
        assertThat(css.statusCode()).isEqualTo(200);
      } finally {
        app.stop();
      }
    }
  }

  @Test
  void a_base_path_must_start_with_a_slash_and_not_end_with_one() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Dashboard(null, null, "ops/", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ops/");
  }
}
