package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.test.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Remote workers over HTTP: the Python reference worker, lost leases (409), bad input (422). */
class RemoteWorkerApiTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path PYTHON_WORKER =
      Path.of("..", "examples", "python", "taskflow_worker.py");

  private final ManualClock clock = ManualClock.startingNow();
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final TaskFlow taskflow =
      TaskFlow.builder().storage(storage).clock(clock).acceptTypes("py.wordcount").build().start();
  private final TaskFlowWeb web =
      TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build()).start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    web.stop();
    taskflow.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Job enqueue(String text) {
    return taskflow
        .enqueue(new JobRequest("py.wordcount", "{\"text\":\"" + text + "\"}", null))
        .job();
  }

  private static String lease(String worker) {
    return "{\"workerId\":\"" + worker + "\",\"types\":[\"py.wordcount\"],\"leaseSeconds\":10}";
  }

  @Test
  void the_python_reference_worker_runs_a_job_end_to_end() throws Exception {
    boolean hasPython = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    if (!"true".equals(System.getenv("CI")))
      assumeTrue(hasPython, "python3 is not installed; skipping");
    assertThat(hasPython).as("python3 is needed in CI").isTrue();
    Job job = enqueue("the quick brown fox jumps over the lazy dog the end");

    Process worker =
        new ProcessBuilder(
                "python3",
                PYTHON_WORKER.toString(),
                "--url",
                "http://127.0.0.1:" + web.port(),
                "--worker-id",
                "py-test",
                "--once",
                "--wait",
                "5")
            .redirectErrorStream(true)
            .start();
    assertThat(worker.waitFor(60, TimeUnit.SECONDS))
        .as("the worker exits after one lease")
        .isTrue();
    String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(output).isZero();

    Job done = taskflow.get(job.id()).orElseThrow();
    assertThat(done.state()).as(output).isEqualTo(JobState.COMPLETED);
    JsonNode result = JSON.readTree(done.resultJson());
    assertThat(result.get("words").asInt()).isEqualTo(11);
    assertThat(result.get("counts").get("the").asInt()).isEqualTo(3);
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .contains("wordcount.counted");
    assertThat(taskflow.servers()).extracting(s -> s.id()).contains("remote:py-test");
  }

  @Test
  void a_worker_that_lost_its_lease_gets_409_while_the_new_holder_completes() throws Exception {
    Job job = enqueue("stale or fresh");
    JsonNode stale =
        JSON.readTree(post("/api/v1/workers/lease", lease("slow")).body()).get("jobs").get(0);

    clock.advance(Duration.ofSeconds(11)); // the slow worker missed its heartbeats
    storage.jobRescueExpired(new JobRescueParams("rescuer", 10));
    JsonNode fresh =
        JSON.readTree(post("/api/v1/workers/lease", lease("fast")).body()).get("jobs").get(0);
    assertThat(fresh.get("attempt").asInt()).isEqualTo(2);

    HttpResponse<String> late =
        post(
            "/api/v1/jobs/" + job.id() + "/complete",
            "{\"leaseToken\":\""
                + stale.get("leaseToken").asString()
                + "\",\"result\":{\"by\":\"slow\"}}");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(late.body()).contains("lease-lost").contains("/leaseToken");
    HttpResponse<String> beat =
        post(
            "/api/v1/jobs/" + job.id() + "/heartbeat",
            "{\"leaseToken\":\"" + stale.get("leaseToken").asString() + "\"}");
    assertThat(beat.statusCode()).isEqualTo(409);

    HttpResponse<String> ok =
        post(
            "/api/v1/jobs/" + job.id() + "/complete",
            "{\"leaseToken\":\""
                + fresh.get("leaseToken").asString()
                + "\",\"result\":{\"by\":\"fast\"}}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(taskflow.get(job.id()).orElseThrow().resultJson()).isEqualTo("{\"by\":\"fast\"}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      unknown field        | {"workerId":"w","nope":1}                         | /nope
      missing worker id    | {"queues":["default"]}                            | /workerId
      max zero             | {"workerId":"w","max":0}                          | /max
      max a string         | {"workerId":"w","max":"5"}                        | /max
      lease too short      | {"workerId":"w","leaseSeconds":1}                 | /leaseSeconds
      wait too long        | {"workerId":"w","wait":600}                       | /wait
      queue not a string   | {"workerId":"w","queues":[1]}                     | /queues/0
      bad queue name       | {"workerId":"w","queues":["a/b"]}                 | /queues/0
      """)
  void a_bad_lease_request_is_422_naming_the_field_and_leases_nothing(
      String name, String body, String pointer) throws Exception {
    Job job = enqueue("untouched");

    HttpResponse<String> r = post("/api/v1/workers/lease", body);

    assertThat(r.statusCode()).as(name).isEqualTo(422);
    assertThat(r.body()).contains("\"pointer\":\"" + pointer + "\"");
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  void a_garbled_lease_token_is_422_and_changes_nothing() throws Exception {
    Job job = enqueue("x");
    post("/api/v1/workers/lease", lease("w"));
    HttpResponse<String> r =
        post("/api/v1/jobs/" + job.id() + "/complete", "{\"leaseToken\":\"garbage\"}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("/leaseToken");
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.PROCESSING);
  }
}
