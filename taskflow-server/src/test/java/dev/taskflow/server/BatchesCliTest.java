package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code taskflow batches create|get} and {@code taskflow enqueue --depends-on} against a real
 * server.
 */
class BatchesCliTest {
  @RegisterExtension static final CliServer server = new CliServer();

  @Test
  void get_prints_a_batchs_state_and_counts() {
    BatchResult b =
        server
            .taskflow()
            .batches()
            .enqueue(
                BatchOptions.defaults().description("two echoes"),
                List.of(JobRequest.of("demo.echo", "{}"), JobRequest.of("demo.echo", "{}")));

    Cli.Result r = server.cli("batches", "get", b.batchId().toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("batch    " + b.batchId(), "about    two echoes", "total    2");
  }

  @Test
  void create_from_a_file_of_jobs_enqueues_the_batch_with_its_description_and_callback(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("jobs.json");
    Files.writeString(
        file,
        "[{\"type\": \"demo.echo\", \"args\": {\"n\": 1}},"
            + " {\"type\": \"demo.echo\", \"dependsOn\": [0]}]");

    Cli.Result r =
        server.cli(
            "batches",
            "create",
            file.toString(),
            "--description=nightly import",
            "--callback-type=demo.echo",
            "--callback-args={\"done\": true}");

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    UUID batchId = UUID.fromString(lines.get(0).substring("batch    ".length()));
    assertThat(lines).contains("jobs     2").anySatisfy(l -> assertThat(l).startsWith("callback "));
    BatchInfo b = server.taskflow().batches().get(batchId).orElseThrow();
    assertThat(b.total()).isEqualTo(2);
    assertThat(b.description()).isEqualTo("nightly import");
    assertThat(b.callbackJobId()).isNotNull();
    // the callback job is inserted once every member finished, with the batch's summary added
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.taskflow().get(b.callbackJobId()).isPresent());
    assertThat(server.taskflow().get(b.callbackJobId()).orElseThrow().argsJson())
        .startsWith("{\"done\":true");
    assertThat(server.cli("batches", "get", batchId.toString()).out()).contains("total    2");
  }

  @Test
  void create_from_standard_input_takes_the_whole_request_body() {
    InputStream stdin = System.in;
    Cli.Result r;
    try {
      System.setIn(
          new ByteArrayInputStream(
              ("{\"jobs\": [{\"type\": \"demo.echo\"}], \"description\": \"from stdin\","
                      + " \"metadata\": {\"source\": \"cli\"}}")
                  .getBytes(StandardCharsets.UTF_8)));
      r = server.cli("batches", "create", "-", "--json");
    } finally {
      System.setIn(stdin);
    }

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode answer = ApiClient.JSON.readTree(r.out());
    BatchInfo b =
        server.taskflow().batches().get(UUID.fromString(answer.get("id").asString())).orElseThrow();
    assertThat(b.description()).isEqualTo("from stdin");
    assertThat(b.metadataJson()).isEqualTo("{\"source\":\"cli\"}");
    assertThat(answer.get("ids").size()).isEqualTo(1);
  }

  @Test
  void create_with_a_bad_file_or_option_is_a_usage_error_and_enqueues_nothing(@TempDir Path dir)
      throws Exception {
    Path notJson = dir.resolve("bad.json");
    Files.writeString(notJson, "[{\"type\": ");
    Path notJobs = dir.resolve("object.json");
    Files.writeString(notJobs, "{\"type\": \"demo.echo\"}");
    Path withDescription = dir.resolve("described.json");
    Files.writeString(
        withDescription, "{\"jobs\": [{\"type\": \"demo.echo\"}], \"description\": \"a\"}");
    Path jobs = dir.resolve("jobs.json");
    Files.writeString(jobs, "[{\"type\": \"demo.echo\"}]");
    long before =
        server.taskflow().cluster().stateCounts().values().stream()
            .mapToLong(Long::longValue)
            .sum();

    assertThat(server.cli("batches", "create", dir.resolve("missing.json").toString()).err())
        .contains("FILE cannot be read", "missing.json");
    assertThat(server.cli("batches", "create", notJson.toString()).err())
        .contains("is not valid JSON");
    assertThat(server.cli("batches", "create", notJobs.toString()).err())
        .contains("must hold a JSON array of jobs");
    assertThat(server.cli("batches", "create", withDescription.toString(), "--description=b").err())
        .contains("--description and the file's \"description\" exclude each other");
    assertThat(server.cli("batches", "create", jobs.toString(), "--callback-args={}").err())
        .contains("--callback-args needs --callback-type");
    Cli.Result badArgs =
        server.cli(
            "batches",
            "create",
            jobs.toString(),
            "--callback-type=demo.echo",
            "--callback-args=[1]");
    badArgs.assertUsageError("--callback-args must be a JSON object");

    assertThat(
            server.taskflow().cluster().stateCounts().values().stream()
                .mapToLong(Long::longValue)
                .sum())
        .isEqualTo(before);
  }

  @Test
  void create_that_the_server_refuses_prints_the_member_at_fault_and_exits_1(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("jobs.json");
    Files.writeString(
        file, "[{\"type\": \"demo.echo\"}, {\"type\": \"demo.echo\", \"priority\": 500}]");

    Cli.Result r = server.cli("batches", "create", file.toString());

    r.assertFailed("(422)", "- jobs/1/priority:", "[range]");
  }

  @Test
  void get_of_an_unknown_batch_fails_and_a_malformed_id_is_a_usage_error() {
    Cli.Result unknown = server.cli("batches", "get", "0190f5b2-0000-7000-8000-000000000001");
    unknown.assertFailed("no batch");

    Cli.Result bad = server.cli("batches", "get", "nope");
    bad.assertUsageError("a batch id is a UUID");
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

    Cli.Result r =
        server.cli(
            "enqueue", "demo.echo", "--depends-on=" + parent.id(), "--on-parent-failure=run");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"state\" : \"awaiting\"", "\"onParentFailure\" : \"run\"");

    Cli.Result unknown =
        server.cli("enqueue", "demo.echo", "--depends-on=0190f5b2-0000-7000-8000-000000000001");
    unknown.assertFailed("unknown_parent");
    assertThat(server.taskflow().cluster().stateCounts().get(JobState.AWAITING)).isEqualTo(1);
  }
}
