package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's live streams as a plugin of the web server: they count against the server's one
 * bound on event streams, with the API's SSE streams, and a stream for nothing opens no slot.
 */
class DashboardStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private DashboardServer server;
  private final List<InputStream> open = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (InputStream in : open) in.close();
    if (server != null) server.close();
  }

  private HttpResponse<InputStream> stream(String path) {
    try {
      HttpResponse<InputStream> r =
          server.http.send(
              HttpRequest.newBuilder(server.base.resolve(path))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      open.add(r.body());
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void row3_dashboard_live_streams_count_against_the_same_bound_as_the_apis() throws Exception {
    server =
        DashboardServer.start(
            c -> c.maxEventStreams(1).pingInterval(Duration.ofMillis(50)),
            DashboardPlugin.defaults());
    HttpResponse<InputStream> api = stream("/api/v1/events");
    await().atMost(WAIT).until(() -> server.web.openStreams() == 1);

    HttpResponse<String> live = server.get("/live/jobs?q=zzzqqqnomatch");

    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.headers().firstValue("Retry-After")).contains("5");
    api.body().close();
    await().atMost(WAIT).until(() -> server.web.openStreams() == 0);
    HttpResponse<InputStream> again = stream("/live/jobs?q=zzzqqqnomatch");
    assertThat(again.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.web.openStreams() == 1);
  }

  @Test
  void a_live_stream_of_a_job_that_is_not_there_is_404_not_an_open_stream() {
    server = DashboardServer.start();

    HttpResponse<String> r = server.get("/live/job?id=" + UUID.randomUUID());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(server.web.openStreams()).isZero();
  }
}
