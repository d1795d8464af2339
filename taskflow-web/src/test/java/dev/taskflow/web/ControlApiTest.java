package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Job controls over HTTP: queue max depth (429 with Retry-After), queue position, retry priority,
 * unique keys held for a period, start deadlines, resources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiTest {
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response patch(String path, String json) {
    return server.send(
        server
            .request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  @Test
  void patching_a_queue_sets_its_max_depth_and_an_enqueue_past_it_gets_429_with_retry_after() {
    TestServer.Response set = patch("/api/v1/queues/parked", "{\"maxDepth\":2}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().get("maxDepth").asInt()).isEqualTo(2);
    assertThat(set.json().get("depth").asLong()).isZero();
    String job = "{\"type\":\"demo.echo\",\"queue\":\"parked\",\"args\":{}}";
    assertThat(server.post("/api/v1/jobs", job).status()).isEqualTo(201);
    long before = server.taskflow.cluster().stateCounts().get(JobState.ENQUEUED);

    TestServer.Response batch =
        server.post("/api/v1/jobs/batch", "{\"jobs\":[" + job + "," + job + "]}");

    assertThat(batch.status()).isEqualTo(429);
    assertThat(batch.contentType()).startsWith("application/problem+json");
    assertThat(batch.header("Retry-After")).isEqualTo("5");
    JsonNode p = batch.json();
    assertThat(p.get("type").asString()).endsWith("queue-full");
    assertThat(p.get("detail").asString()).contains("'parked'", "1 waiting", "max depth 2");
    assertThat(p.get("errors").get(0).get("code").asString()).isEqualTo("queue_full");
    assertThat(server.taskflow.cluster().stateCounts().get(JobState.ENQUEUED))
        .as("nothing of the batch was written")
        .isEqualTo(before);
    assertThat(server.post("/api/v1/jobs", job).status()).isEqualTo(201);
    assertThat(server.post("/api/v1/jobs", job).status()).isEqualTo(429);

    JsonNode queues = server.get("/api/v1/queues").json().get("queues");
    JsonNode parked = null;
    for (JsonNode q : queues) if (q.get("name").asString().equals("parked")) parked = q;
    assertThat(parked).isNotNull();
    assertThat(parked.get("depth").asLong()).isEqualTo(2);
    assertThat(parked.get("maxDepth").asInt()).isEqualTo(2);

    TestServer.Response cleared = patch("/api/v1/queues/parked", "{\"maxDepth\":null}");
    assertThat(cleared.json().get("maxDepth").isNull()).isTrue();
    assertThat(server.post("/api/v1/jobs", job).status()).isEqualTo(201);
  }

  @Test
  void a_manual_retry_into_a_full_queue_gets_429_with_retry_after_and_changes_nothing() {
    String job = "{\"type\":\"demo.echo\",\"queue\":\"retry-bound\",\"args\":{}}";
    String cancelled = server.enqueue(job);
    assertThat(server.post("/api/v1/jobs/" + cancelled + "/cancel").status()).isEqualTo(200);
    server.enqueue(job);
    assertThat(patch("/api/v1/queues/retry-bound", "{\"maxDepth\":1}").status()).isEqualTo(200);
    var before = server.taskflow.cluster().stateCounts();

    TestServer.Response retried = server.post("/api/v1/jobs/" + cancelled + "/retry");

    assertThat(retried.status()).as(retried.toString()).isEqualTo(429);
    assertThat(retried.header("Retry-After")).isEqualTo("5");
    assertThat(retried.json().get("type").asString()).endsWith("queue-full");
    assertThat(server.taskflow.cluster().stateCounts()).isEqualTo(before);
    assertThat(server.get("/api/v1/jobs/" + cancelled).json().get("state").asString())
        .isEqualTo("cancelled");
  }

  @Test
  void an_enqueued_job_shows_its_queue_position_and_a_finished_one_null() {
    String job = "{\"type\":\"demo.echo\",\"queue\":\"waiting-room\",\"args\":{}}";
    server.post("/api/v1/jobs", job);
    String second = server.enqueue(job);

    JsonNode waiting = server.get("/api/v1/jobs/" + second).json();

    assertThat(waiting.get("state").asString()).isEqualTo("enqueued");
    assertThat(waiting.get("queuePosition").asLong()).isEqualTo(1);

    String done = server.enqueue("{\"type\":\"demo.echo\",\"args\":{}}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/jobs/" + done).json().get("state").asString(),
            "completed"::equals);
    JsonNode finished = server.get("/api/v1/jobs/" + done).json();
    assertThat(
            finished.path("queuePosition").isNull()
                || finished.path("queuePosition").isMissingNode())
        .as("a finished job has no queue position: %s", finished)
        .isTrue();
  }

  @Test
  void a_retry_with_a_priority_moves_the_job_to_it_and_one_without_keeps_it() {
    String id = server.enqueue("{\"type\":\"test.fail\",\"priority\":3,\"maxAttempts\":1}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/jobs/" + id).json().get("state").asString(),
            "failed"::equals);

    TestServer.Response retried = server.post("/api/v1/jobs/" + id + "/retry", "{\"priority\":42}");

    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    assertThat(retried.json().get("priority").asInt()).isEqualTo(42);
    assertThat(retried.json().get("state").asString()).isEqualTo("enqueued");
    assertThat(server.get("/api/v1/jobs/" + id).json().get("priority").asInt()).isEqualTo(42);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/jobs/" + id).json().get("state").asString(),
            "failed"::equals);
    TestServer.Response plain = server.post("/api/v1/jobs/" + id + "/retry");
    assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
    assertThat(plain.json().get("priority").asInt()).isEqualTo(42);
  }

  @Test
  void a_unique_key_held_for_a_period_answers_duplicate_after_its_job_completed_until_it_ends()
      throws Exception {
    try (Manual m = Manual.start()) {
      String job = "{\"type\":\"demo.echo\",\"uniqueKey\":\"daily-report\",\"uniqueFor\":\"PT1H\"}";
      TestServer.Response first = m.post("/api/v1/jobs", job);
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      String id = first.json().get("id").asString();
      m.taskflow.runDueJobs();
      assertThat(m.get("/api/v1/jobs/" + id).json().get("state").asString()).isEqualTo("completed");

      m.clock.advance(Duration.ofMinutes(59));
      TestServer.Response within = m.post("/api/v1/jobs", job);

      assertThat(within.status()).as(within.toString()).isEqualTo(200);
      assertThat(within.json().get("duplicate").asBoolean()).isTrue();
      assertThat(within.json().get("id").asString()).isEqualTo(id);

      m.clock.advance(Duration.ofMinutes(1));
      TestServer.Response after = m.post("/api/v1/jobs", job);

      assertThat(after.status()).as(after.toString()).isEqualTo(201);
      assertThat(after.json().get("duplicate").asBoolean()).isFalse();
      assertThat(after.json().get("id").asString()).isNotEqualTo(id);
    }
  }

  @Test
  void a_job_not_started_within_its_deadline_is_cancelled_as_expired() throws Exception {
    try (Manual m = Manual.start()) {
      assertThat(m.post("/api/v1/queues/default/pause", null).status()).isEqualTo(200);
      TestServer.Response r =
          m.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"startWithin\":\"PT1M\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      String id = r.json().get("id").asString();
      assertThat(r.json().get("startBy").asString()).isNotNull();

      m.clock.advance(Duration.ofSeconds(59));
      m.taskflow.runDueJobs();
      assertThat(m.get("/api/v1/jobs/" + id).json().get("state").asString()).isEqualTo("enqueued");

      m.clock.advance(Duration.ofSeconds(2));
      m.taskflow.runDueJobs();
      JsonNode expired = m.get("/api/v1/jobs/" + id).json();

      assertThat(expired.get("state").asString()).isEqualTo("cancelled");
      JsonNode last = expired.get("history").get(expired.get("history").size() - 1);
      assertThat(last.get("state").asString()).isEqualTo("cancelled");
      assertThat(last.get("reason").asString()).isEqualTo("expired");
    }
  }

  /** An unstarted TaskFlow on a manual clock behind the API: time moves only when told to. */
  private static final class Manual implements AutoCloseable {
    final ManualClock clock = ManualClock.startingNow();
    final TaskFlow taskflow;
    final TaskFlowWeb web;
    final HttpClient http = HttpClient.newHttpClient();

    private Manual() {
      taskflow =
          TaskFlow.builder()
              .clock(clock)
              .storage(new InMemoryStorage(clock))
              .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
              .build();
      web = TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build()).start();
    }

    static Manual start() {
      return new Manual();
    }

    TestServer.Response get(String path) throws Exception {
      return send(request(path).GET());
    }

    TestServer.Response post(String path, String json) throws Exception {
      HttpRequest.Builder b = request(path);
      if (json == null) b.POST(HttpRequest.BodyPublishers.noBody());
      else
        b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
      return send(b);
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
          .timeout(Duration.ofSeconds(10));
    }

    private TestServer.Response send(HttpRequest.Builder b) throws Exception {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new TestServer.Response(r.statusCode(), r.headers().map(), r.body());
    }

    @Override
    public void close() {
      web.close();
      taskflow.close();
    }
  }

  @Test
  void resources_lists_the_adaptive_limits_of_this_server() throws Exception {
    try (TaskFlow tf =
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .resource("model-server", r -> r.min(2).max(20).initial(5))
                .typeResource("embedding.generate", "model-server")
                .worker("embedding.generate", JsonNode.class, (a, ctx) -> null)
                .build();
        TaskFlowWeb web = TaskFlowWeb.create(tf, WebConfig.builder().port(0).build()).start()) {
      var res =
          server.http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + web.port() + "/api/v1/resources"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());

      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode r = TestServer.JSON.readTree(res.body()).get("resources").get(0);
      assertThat(r.get("name").asString()).isEqualTo("model-server");
      assertThat(r.get("types").get(0).asString()).isEqualTo("embedding.generate");
      assertThat(r.get("limit").asInt()).isEqualTo(5);
      assertThat(r.get("min").asInt()).isEqualTo(2);
      assertThat(r.get("max").asInt()).isEqualTo(20);
      assertThat(r.get("inFlight").asInt()).isZero();
      assertThat(r.get("latencyMillis").isNull()).isTrue();
    }
  }

  @Test
  void a_server_without_resources_lists_none() {
    JsonNode body = server.get("/api/v1/resources").json();

    assertThat(body.get("resources").isArray()).isTrue();
    assertThat(body.get("resources").size()).isZero();
  }
}
