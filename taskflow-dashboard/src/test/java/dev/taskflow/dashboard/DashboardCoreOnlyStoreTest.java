package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.memory.CoreOnlyStorage;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** On a store that keeps only the SPI's core, the pages of the missing features still render. */
class DashboardCoreOnlyStoreTest {

  @Test
  void the_pages_of_missing_features_still_render() throws Exception {
    try (DashboardServer server =
        DashboardServer.on(new CoreOnlyStorage(new InMemoryStorage(Clock.systemUTC())))) {
      assertThat(server.get("/queues").statusCode()).isEqualTo(200);
      assertThat(server.get("/recurring").statusCode()).isEqualTo(200);
      String id = server.enqueue("{\"type\":\"demo.echo\",\"args\":{}}");
      assertThat(server.get("/jobs/" + id).statusCode()).isEqualTo(200);
    }
  }
}
