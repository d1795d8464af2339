package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.FlowLimit;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queues page lists the cluster-wide limits with their use. */
class DashboardLimitsTest {

  @Test
  void the_queues_page_shows_each_limit_with_its_selectors_and_use() {
    try (DashboardServer server = DashboardServer.start()) {
      HttpResponse<String> without = server.get("/queues");
      assertThat(without.statusCode()).isEqualTo(200);
      assertThat(without.body()).doesNotContain("id=\"limits\"");

      server
          .taskflow
          .limits()
          .put(
              FlowLimit.builder("mails")
                  .type("email.send")
                  .scope(FlowLimit.Scope.OWNER)
                  .maxRunning(2)
                  .rate(100, Duration.ofMinutes(1))
                  .build());
      HttpResponse<String> page = server.get("/queues");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains(
              "id=\"limits\"",
              "data-limit=\"mails\"",
              "type email.send, any queue",
              "owner",
              "100 / PT1M");
    }
  }
}
