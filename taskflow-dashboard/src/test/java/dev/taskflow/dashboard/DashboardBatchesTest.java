package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job's page links its parents, dependents and batch; a batch page shows counts per state. */
class DashboardBatchesTest {

  @Test
  void a_job_page_links_parents_dependents_and_batch_and_the_batch_page_counts_members() {
    try (DashboardServer server = DashboardServer.start()) {
      EnqueueOptions later = EnqueueOptions.defaults().delay(Duration.ofHours(1));
      BatchResult b =
          server
              .taskflow
              .batches()
              .enqueue(
                  BatchOptions.defaults().description("nightly import"),
                  List.of(
                      new JobRequest("demo.echo", "{}", later),
                      new JobRequest(
                          "demo.echo",
                          "{}",
                          EnqueueOptions.defaults().dependsOn(Batches.member(0)))));
      UUID parent = b.jobs().get(0).job().id();
      UUID child = b.jobs().get(1).job().id();

      HttpResponse<String> parentPage = server.get("/jobs/" + parent);
      assertThat(parentPage.statusCode()).isEqualTo(200);
      assertThat(parentPage.body())
          .contains("Dependents", "/jobs/" + child, "/batches/" + b.batchId());
      HttpResponse<String> childPage = server.get("/jobs/" + child);
      assertThat(childPage.body())
          .contains("Depends on", "/jobs/" + parent, "if one fails: cancel");

      HttpResponse<String> batch = server.get("/batches/" + b.batchId());
      assertThat(batch.statusCode()).isEqualTo(200);
      assertThat(batch.body())
          .contains("nightly import", "data-batch-state=\"open\"", "data-state=\"awaiting\"");
      assertThat(server.get("/batches/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
      assertThat(server.get("/batches/nope").statusCode()).isEqualTo(404);
    }
  }
}
