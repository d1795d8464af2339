package dev.taskflow.server;

import static dev.taskflow.server.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code taskflow batches get} and {@code taskflow enqueue --depends-on} against a real server. */
class BatchesCliTest {
  private static ServerCommand.Running server;
  private static String url;

  @BeforeAll
  static void start_server() throws Exception {
    server = CliTest.startServer("--demo", "--store", "memory", "--port", "0");
    url = "--url=" + server.url();
  }

  @AfterAll
  static void stop_server() {
    server.close();
  }

  @Test
  void get_prints_a_batchs_state_and_counts() {
    BatchResult b =
        server
            .taskflow()
            .batches()
            .enqueue(
                BatchOptions.defaults().description("two echoes"),
                List.of(JobRequest.of("demo.echo", "{}"), JobRequest.of("demo.echo", "{}")));

    CliTest.Result r = cli("batches", "get", b.batchId().toString(), url);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("batch    " + b.batchId(), "about    two echoes", "total    2");
  }

  @Test
  void get_of_an_unknown_batch_fails_and_a_malformed_id_is_a_usage_error() {
    CliTest.Result unknown = cli("batches", "get", "0190f5b2-0000-7000-8000-000000000001", url);
    assertThat(unknown.code()).isEqualTo(Main.EXIT_FAILED);
    assertThat(unknown.err()).contains("no batch");

    CliTest.Result bad = cli("batches", "get", "nope", url);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("a batch id is a UUID");
  }

  @Test
  void enqueue_with_depends_on_waits_for_its_parent_and_an_unknown_parent_fails() {
    var parent =
        server
            .taskflow()
            .enqueue(
                new JobRequest(
                    "demo.echo",
                    "{}",
                    dev.taskflow.EnqueueOptions.defaults()
                        .delay(java.time.Duration.ofHours(1)))) // stays scheduled
            .job();

    CliTest.Result r =
        cli("enqueue", "demo.echo", "--depends-on=" + parent.id(), "--on-parent-failure=run", url);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"state\" : \"awaiting\"", "\"onParentFailure\" : \"run\"");

    CliTest.Result unknown =
        cli("enqueue", "demo.echo", "--depends-on=0190f5b2-0000-7000-8000-000000000001", url);
    assertThat(unknown.code()).isEqualTo(Main.EXIT_FAILED);
    assertThat(unknown.err()).contains("unknown_parent");
    assertThat(server.taskflow().stateCounts().get(JobState.AWAITING)).isEqualTo(1);
  }
}
