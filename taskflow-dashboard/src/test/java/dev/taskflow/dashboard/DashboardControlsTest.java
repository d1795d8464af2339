package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboard shows the job controls: max depth, resource limits, queue position. */
class DashboardControlsTest {

  @Test
  void the_queues_page_shows_max_depth_and_resources_and_the_job_page_the_queue_position()
      throws Exception {
    try (TaskFlow taskflow =
            TaskFlow.builder()
                .storage(new InMemoryStorage(Clock.systemUTC()))
                .resource("model-server", r -> r.min(1).max(12).initial(6))
                .typeResource("demo.echo", "model-server")
                .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
                .build();
        ThroughputTracker tracker = ThroughputTracker.start(taskflow, Duration.ofMinutes(1));
        Dashboard dashboard = new Dashboard(taskflow, tracker, "/ops", false)) {
      taskflow.queues().setMaxDepth("parked", 3);
      EnqueueOptions parked = EnqueueOptions.defaults().queue("parked");
      taskflow.enqueue(new JobRequest("demo.echo", "{}", parked));
      UUID second = taskflow.enqueue(new JobRequest("demo.echo", "{}", parked)).job().id();
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
        String queues =
            http.send(
                    HttpRequest.newBuilder(base.resolve("/ops/queues")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        String job =
            http.send(
                    HttpRequest.newBuilder(base.resolve("/ops/jobs/" + second)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();

        assertThat(queues).contains("data-queue=\"parked\"", "max 3");
        assertThat(queues).contains("data-resource=\"model-server\"", "demo.echo", "1..12");
        assertThat(job).contains("1 ahead");
      } finally {
        app.stop();
      }
    }
  }
}
