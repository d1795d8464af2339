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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remote workers over HTTP: the Python reference worker, lost leases (409), forged tokens (422),
 * bad input (422), and the worker's {@code /servers} entry.
 */
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
    assertThat(taskflow.cluster().servers()).extracting(s -> s.id()).contains("remote:py-test");
  }

  @Test
  void row4_custom_event_data_and_progress_messages_have_one_size_rule() throws Exception {
    Job job = enqueue("big");
    JsonNode leased =
        JSON.readTree(post("/api/v1/workers/lease", lease("w")).body()).get("jobs").get(0);
    String token = leased.get("leaseToken").asString();

    HttpResponse<String> bigEvent =
        post(
            "/api/v1/jobs/" + job.id() + "/events",
            "{\"leaseToken\":\""
                + token
                + "\",\"type\":\"x.big\",\"data\":{\"blob\":\""
                + "x".repeat(70_000)
                + "\"}}");
    HttpResponse<String> fits =
        post(
            "/api/v1/jobs/" + job.id() + "/events",
            "{\"leaseToken\":\""
                + token
                + "\",\"type\":\"x.big\",\"data\":{\"blob\":\""
                + "x".repeat(60_000)
                + "\"}}");

    assertThat(bigEvent.statusCode()).as(bigEvent.body()).isEqualTo(422);
    assertThat(bigEvent.body()).contains("max_size", "/data");
    assertThat(fits.statusCode()).as(fits.body()).isIn(200, 201);
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .containsOnlyOnce("x.big");
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
      unknown field a/b~c  | {"workerId":"w","a/b~c":1}                        | /a~1b~0c
      taskflow's own type  | {"workerId":"w","types":["taskflow.webhook.deliver"]} | /types/0
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
    // the old, guessable form (attempt:remote:workerId) is not a token either
    String oldForm =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("1:remote:w".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> old =
        post("/api/v1/jobs/" + job.id() + "/complete", "{\"leaseToken\":\"" + oldForm + "\"}");
    assertThat(old.statusCode()).isEqualTo(422);
    assertThat(old.body()).contains("/leaseToken");
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.PROCESSING);
  }

  @Test
  void row13_a_token_names_its_job_so_it_fences_no_other_job_of_the_same_lease_call()
      throws Exception {
    Job a = enqueue("first");
    Job b = enqueue("second");
    JsonNode jobs =
        JSON.readTree(
                post(
                        "/api/v1/workers/lease",
                        "{\"workerId\":\"w\",\"types\":[\"py.wordcount\"],\"max\":2}")
                    .body())
            .get("jobs");
    assertThat(jobs).hasSize(2);
    JsonNode leasedA =
        jobs.get(0).get("id").asString().equals(a.id().toString()) ? jobs.get(0) : jobs.get(1);
    JsonNode leasedB = leasedA == jobs.get(0) ? jobs.get(1) : jobs.get(0);
    assertThat(leasedA.get("attempt").asInt()).isEqualTo(leasedB.get("attempt").asInt());
    String tokenA = token(leasedA);

    HttpResponse<String> beatB =
        post(
            "/api/v1/jobs/" + b.id() + "/heartbeat",
            "{\"leaseToken\":\"" + tokenA + "\",\"leaseSeconds\":3600}");
    HttpResponse<String> completeB =
        post("/api/v1/jobs/" + b.id() + "/complete", "{\"leaseToken\":\"" + tokenA + "\"}");

    assertThat(List.of(beatB, completeB))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
              assertThat(r.body()).contains("/leaseToken", "issued for another job");
            });
    Job afterB = taskflow.get(b.id()).orElseThrow();
    assertThat(afterB.state()).isEqualTo(JobState.PROCESSING);
    assertThat(afterB.leaseExpiresAt())
        .isEqualTo(Instant.parse(leasedB.get("leaseExpiresAt").asString()));
    assertThat(
            post("/api/v1/jobs/" + a.id() + "/complete", "{\"leaseToken\":\"" + tokenA + "\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    "/api/v1/jobs/" + b.id() + "/complete",
                    "{\"leaseToken\":\"" + token(leasedB) + "\"}")
                .statusCode())
        .isEqualTo(200);
  }

  private static String token(JsonNode leased) {
    return leased.get("leaseToken").asString();
  }

  private JsonNode leaseOne(String worker) throws Exception {
    return JSON.readTree(post("/api/v1/workers/lease", lease(worker)).body()).get("jobs").get(0);
  }

  private JsonNode getJob(Job job) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(uri("/api/v1/jobs/" + job.id())).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private List<String> listedServers() throws Exception {
    JsonNode servers =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(uri("/api/v1/servers")).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("servers");
    return servers.valueStream().map(s -> s.get("id").asString()).toList();
  }

  @Test
  void a_token_rebuilt_from_what_the_job_shows_is_refused_and_changes_nothing() throws Exception {
    Job job = enqueue("forge me");
    JsonNode leased = leaseOne("honest");
    JsonNode shown = getJob(job);
    String leaseOwner = shown.get("leaseOwner").asString();
    assertThat(leaseOwner).startsWith("remote:honest#");
    assertThat(JSON.writeValueAsString(shown)).doesNotContain(token(leased));
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                (shown.get("attempt").asInt() + ":" + leaseOwner).getBytes(StandardCharsets.UTF_8));
    String forgedBody = "{\"leaseToken\":\"" + forged + "\",\"result\":{\"by\":\"forger\"}}";

    HttpResponse<String> complete = post("/api/v1/jobs/" + job.id() + "/complete", forgedBody);
    HttpResponse<String> fail =
        post("/api/v1/jobs/" + job.id() + "/fail", "{\"leaseToken\":\"" + forged + "\"}");
    HttpResponse<String> event =
        post(
            "/api/v1/jobs/" + job.id() + "/events",
            "{\"leaseToken\":\"" + forged + "\",\"type\":\"forged.event\"}");
    HttpResponse<String> beat =
        post(
            "/api/v1/jobs/" + job.id() + "/heartbeat",
            "{\"leaseToken\":\"" + forged + "\",\"leaseSeconds\":3600}");

    assertThat(List.of(complete, fail, event, beat))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
              assertThat(r.body()).contains("/leaseToken", "not one this API issued");
            });
    Job after = taskflow.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.PROCESSING);
    assertThat(after.resultJson()).isNull();
    assertThat(after.leaseExpiresAt())
        .isEqualTo(Instant.parse(leased.get("leaseExpiresAt").asString()));
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .doesNotContain("forged.event");

    HttpResponse<String> real =
        post(
            "/api/v1/jobs/" + job.id() + "/complete",
            "{\"leaseToken\":\"" + token(leased) + "\",\"result\":{\"by\":\"honest\"}}");
    assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"webhook.test", "batch.completed", "JOB.completed", "Job.failed"})
  void a_remote_worker_cannot_emit_an_event_type_taskflow_reserves(String type) throws Exception {
    Job job = enqueue("reserved " + type);
    JsonNode leased = leaseOne("mimic");

    HttpResponse<String> r =
        post(
            "/api/v1/jobs/" + job.id() + "/events",
            "{\"leaseToken\":\"" + token(leased) + "\",\"type\":\"" + type + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
    assertThat(error.get("pointer").asString()).isEqualTo("/type");
    assertThat(error.get("code").asString()).isEqualTo("reserved");
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .doesNotContain(type);
  }

  @Test
  void no_api_surface_shows_a_lease_token() throws Exception {
    Job job = enqueue("secret");
    JsonNode leased = leaseOne("quiet");
    post(
        "/api/v1/jobs/" + job.id() + "/events",
        "{\"leaseToken\":\"" + token(leased) + "\",\"type\":\"quiet.event\"}");
    String secret =
        new String(Base64.getUrlDecoder().decode(token(leased)), StandardCharsets.UTF_8)
            .substring(("1:remote:quiet#").length());

    for (String path :
        List.of(
            "/api/v1/jobs/" + job.id(),
            "/api/v1/jobs?limit=10",
            "/api/v1/servers")) { // the dashboard's job page: DashboardSecurityTest
      String body =
          http.send(
                  HttpRequest.newBuilder(uri(path)).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).as(path).contains("quiet").doesNotContain(secret);
    }
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::dataJson)
        .noneMatch(d -> d.contains(secret));
  }

  @Test
  void a_worker_that_only_heartbeats_on_a_long_job_stays_listed_on_servers() throws Exception {
    Job job = enqueue("long");
    JsonNode leased = leaseOne("busy");
    assertThat(listedServers()).contains("remote:busy");

    // 90 s of heartbeats, three times the 30 s liveness window, and no lease call
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofSeconds(10));
      HttpResponse<String> beat =
          post(
              "/api/v1/jobs/" + job.id() + "/heartbeat",
              "{\"leaseToken\":\"" + token(leased) + "\",\"leaseSeconds\":20}");
      assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
      assertThat(listedServers()).as("after %d s", (i + 1) * 10).contains("remote:busy");
    }
    clock.advance(Duration.ofSeconds(10));
    HttpResponse<String> done =
        post(
            "/api/v1/jobs/" + job.id() + "/complete",
            "{\"leaseToken\":\"" + token(leased) + "\",\"result\":{}}");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(listedServers()).contains("remote:busy");

    clock.advance(Duration.ofSeconds(31)); // silent for longer than the window
    assertThat(listedServers()).doesNotContain("remote:busy");
  }

  @Test
  void a_heartbeat_moves_the_lease_expiry_forward() throws Exception {
    Job job = enqueue("beat");
    JsonNode leased = leaseOne("w");
    Instant first = Instant.parse(leased.get("leaseExpiresAt").asString());
    assertThat(first).isEqualTo(clock.instant().plusSeconds(10));

    clock.advance(Duration.ofSeconds(8));
    HttpResponse<String> beat =
        post(
            "/api/v1/jobs/" + job.id() + "/heartbeat",
            "{\"leaseToken\":\"" + token(leased) + "\",\"leaseSeconds\":30}");

    assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
    Instant extended = Instant.parse(JSON.readTree(beat.body()).get("leaseExpiresAt").asString());
    assertThat(extended).isEqualTo(clock.instant().plusSeconds(30)).isAfter(first);
    assertThat(taskflow.get(job.id()).orElseThrow().leaseExpiresAt()).isEqualTo(extended);
    clock.advance(Duration.ofSeconds(5)); // past the first expiry: the rescuer leaves it alone
    assertThat(storage.jobRescueExpired(new JobRescueParams("rescuer", 10))).isZero();
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.PROCESSING);
  }

  @Test
  void fail_and_events_after_the_lease_was_lost_are_409_and_write_nothing() throws Exception {
    Job job = enqueue("lost");
    JsonNode stale = leaseOne("slow");
    clock.advance(Duration.ofSeconds(11));
    storage.jobRescueExpired(new JobRescueParams("rescuer", 10));
    JsonNode fresh = leaseOne("fast");
    Job before = taskflow.get(job.id()).orElseThrow();
    List<JobEvent> eventsBefore = taskflow.events(job.id(), null, 100);

    HttpResponse<String> fail =
        post(
            "/api/v1/jobs/" + job.id() + "/fail",
            "{\"leaseToken\":\""
                + token(stale)
                + "\",\"error\":{\"type\":\"Late\",\"message\":\"too late\"},"
                + "\"retryable\":false}");
    HttpResponse<String> event =
        post(
            "/api/v1/jobs/" + job.id() + "/events",
            "{\"leaseToken\":\"" + token(stale) + "\",\"type\":\"late.event\"}");

    assertThat(List.of(fail, event))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
              assertThat(r.body())
                  .contains("lease-lost")
                  .contains("another worker holds attempt 2");
            });
    Job after = taskflow.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.PROCESSING);
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(after.errors()).isEqualTo(before.errors());
    assertThat(after.history()).isEqualTo(before.history());
    assertThat(taskflow.events(job.id(), null, 100)).isEqualTo(eventsBefore);
    assertThat(fresh.get("attempt").asInt()).isEqualTo(2);
  }
}
