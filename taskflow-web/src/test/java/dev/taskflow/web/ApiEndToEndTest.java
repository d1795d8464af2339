package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The API end to end on a real TaskFlow and a real server on a random port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode job(String id) {
    TestServer.Response r = server.get("/api/v1/jobs/" + id);
    assertThat(r.status()).as("GET job %s: %s", id, r).isEqualTo(200);
    return r.json();
  }

  private void awaitState(String id, String state) {
    await().atMost(WAIT).until(() -> job(id).get("state").asString().equals(state));
  }

  @Test
  void an_enqueued_job_runs_and_its_json_has_the_documented_shape() {
    TestServer.Response created =
        server.post(
            "/api/v1/jobs",
            """
            {"type": "demo.echo", "args": {"hello": "world", "n": [1, 2.5, null]},
             "priority": 5, "maxAttempts": 3, "timeout": "PT30S", "owner": "user-1",
             "tags": ["a", "b"]}
            """);

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    JsonNode body = created.json();
    String id = body.get("id").asString();
    assertThat(created.header("Location")).isEqualTo("/api/v1/jobs/" + id);
    assertThat(body.get("duplicate").asBoolean()).isFalse();
    assertThat(body.get("args").isObject()).isTrue();

    awaitState(id, "completed");
    JsonNode job = job(id);
    JsonNode args = TestServer.JSON.readTree("{\"hello\": \"world\", \"n\": [1, 2.5, null]}");
    assertThat(job.get("type").asString()).isEqualTo("demo.echo");
    assertThat(job.get("queue").asString()).isEqualTo("default");
    assertThat(job.get("priority").asInt()).isEqualTo(5);
    assertThat(job.get("args")).isEqualTo(args);
    assertThat(job.get("result")).isEqualTo(args);
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
    assertThat(job.get("timeout").asString()).isEqualTo("PT30S");
    assertThat(job.get("owner").asString()).isEqualTo("user-1");
    assertThat(job.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(job.get("errors").isEmpty()).isTrue();
    assertThat(job.get("queuePosition").isNull()).isTrue();
    for (String field : List.of("createdAt", "scheduledAt", "startedAt", "finishedAt")) {
      String t = job.get(field).asString();
      assertThat(t).as(field).endsWith("Z");
      assertThat(Instant.parse(t)).isNotNull();
    }
    List<String> states = new ArrayList<>();
    job.get("history").forEach(h -> states.add(h.get("state").asString()));
    assertThat(states).containsSubsequence("enqueued", "processing", "completed");
  }

  @Test
  void numbers_in_args_come_back_exactly_as_sent() {
    String id =
        server.enqueue(
            "{\"type\":\"test.block\",\"queue\":\"exact-numbers\",\"args\":{\"a\":"
                + "[1.00000000000000000000001,1.50,12345678901234567890123,1e300,2.5e-300]}}");

    String body = server.get("/api/v1/jobs/" + id).body();

    assertThat(body)
        .contains("[1.00000000000000000000001,1.50,12345678901234567890123,1E+300,2.5E-300]");
  }

  @Test
  void a_failed_job_shows_each_attempt_error_with_its_stack_trace() {
    String id = server.enqueue("{\"type\": \"test.fail\", \"maxAttempts\": 1}");

    awaitState(id, "failed");

    JsonNode error = job(id).get("errors").get(0);
    assertThat(error.get("attempt").asInt()).isEqualTo(1);
    assertThat(error.get("type").asString()).contains("IllegalStateException");
    assertThat(error.get("message").asString()).isEqualTo("test.fail always fails");
    assertThat(error.get("stackTrace").asString()).contains("\tat ");
    assertThat(Instant.parse(error.get("at").asString())).isNotNull();
  }

  @Test
  void a_second_enqueue_with_a_live_unique_key_returns_the_first_job() {
    String body = "{\"type\": \"demo.echo\", \"delay\": \"PT1H\", \"uniqueKey\": \"report-7\"}";
    TestServer.Response first = server.post("/api/v1/jobs", body);
    TestServer.Response second = server.post("/api/v1/jobs", body);

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("duplicate").asBoolean()).isTrue();
    assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(second.json().get("state").asString()).isEqualTo("scheduled");
    assertThat(second.header("Location")).isNull();
  }

  @Test
  void a_batch_is_enqueued_at_once_and_answers_with_the_ids() {
    TestServer.Response r =
        server.post(
            "/api/v1/jobs/batch",
            """
            {"jobs": [{"type": "demo.echo", "args": {"i": 1}},
                      {"type": "demo.echo", "args": {"i": 2}, "queue": "side"}]}
            """);

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    JsonNode ids = r.json().get("ids");
    assertThat(ids).hasSize(2);
    assertThat(job(ids.get(1).asString()).get("queue").asString()).isEqualTo("side");
    ids.forEach(id -> awaitState(id.asString(), "completed"));
  }

  @Test
  void the_list_pages_with_a_cursor_without_gaps_or_repeats() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      created.add(
          server.enqueue("{\"type\": \"demo.echo\", \"delay\": \"PT1H\", \"tags\": [\"paging\"]}"));
    }

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          "/api/v1/jobs?tag=paging&state=scheduled&limit=2"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = server.get(path).json();
      page.get("items").forEach(j -> seen.add(j.get("id").asString()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(Set.copyOf(seen)).isEqualTo(created);
    assertThat(pages).isEqualTo(3);
    assertThat(server.get("/api/v1/jobs?tag=paging&state=completed").json().get("items")).isEmpty();
  }

  @Test
  void cancel_retry_and_delete_change_the_state_or_answer_409() {
    String id = server.enqueue("{\"type\": \"demo.echo\", \"delay\": \"PT1H\"}");
    String path = "/api/v1/jobs/" + id;

    TestServer.Response cancelled = server.post(path + "/cancel");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("cancelled");
    assertThat(server.post(path + "/cancel").status()).isEqualTo(409);

    TestServer.Response retried = server.post(path + "/retry");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.json().get("state").asString()).isIn("enqueued", "processing", "completed");
    awaitState(id, "completed");

    TestServer.Response deleted = server.delete(path);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("state").asString()).isEqualTo("deleted");
    TestServer.Response again = server.delete(path);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().get("detail").asString()).contains(id);
  }

  @Test
  void a_paused_queue_holds_its_jobs_with_positions_until_resumed() {
    TestServer.Response paused = server.post("/api/v1/queues/side/pause");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().get("paused").asBoolean()).isTrue();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(server.enqueue("{\"type\": \"demo.echo\", \"queue\": \"side\"}"));
    }

    JsonNode third = job(ids.get(2));
    assertThat(third.get("state").asString()).isEqualTo("enqueued");
    assertThat(third.get("queuePosition").asLong()).isEqualTo(2);
    JsonNode side = queue("side");
    assertThat(side.get("paused").asBoolean()).isTrue();
    assertThat(side.get("counts").get("enqueued").asLong()).isEqualTo(3);
    assertThat(side.get("oldestEnqueuedAge").asString()).startsWith("PT");
    assertThat(side.get("oldestEnqueuedAgeSeconds").isNumber()).isTrue();

    TestServer.Response resumed = server.post("/api/v1/queues/side/resume");
    assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    ids.forEach(id -> awaitState(id, "completed"));
    assertThat(queue("side").get("oldestEnqueuedAge").isNull()).isTrue();
  }

  private JsonNode queue(String name) {
    for (JsonNode q : server.get("/api/v1/queues").json().get("queues")) {
      if (q.get("name").asString().equals(name)) return q;
    }
    throw new AssertionError("no queue " + name);
  }

  @Test
  void servers_lists_this_server_with_its_queues() {
    JsonNode servers = server.get("/api/v1/servers").json().get("servers");

    assertThat(servers).hasSize(1);
    JsonNode s = servers.get(0);
    assertThat(s.get("id").asString()).isEqualTo(server.taskflow.cluster().serverId());
    assertThat(s.get("queues").get("default").asInt()).isEqualTo(4);
    assertThat(s.get("queues").get("side").asInt()).isEqualTo(1);
    assertThat(Instant.parse(s.get("lastHeartbeatAt").asString())).isNotNull();
  }

  @Test
  void stats_health_and_metrics_report_counts_throughput_and_requests() {
    String id = server.enqueue("{\"type\": \"demo.echo\"}");
    awaitState(id, "completed");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode stats = server.get("/api/v1/stats").json();
              assertThat(stats.get("states").get("completed").asLong()).isGreaterThanOrEqualTo(1);
              assertThat(stats.get("states").has("deleted")).isTrue();
              long completed = 0;
              for (JsonNode p : stats.get("throughput")) completed += p.get("completed").asLong();
              assertThat(completed).isGreaterThanOrEqualTo(1);
              assertThat(stats.get("throughput")).hasSize(300);
            });

    TestServer.Response health = server.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("ok");

    TestServer.Response metrics = server.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE taskflow_jobs gauge")
        .containsPattern("taskflow_jobs\\{state=\"completed\"\\} [1-9]")
        .contains("taskflow_queue_jobs{queue=\"default\",state=\"enqueued\"}")
        .contains("taskflow_queue_paused{queue=\"side\"}")
        .contains("taskflow_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} ")
        .contains("route=\"/api/v1/jobs/{id}\"");
  }

  @Test
  void responses_never_leak_a_stack_trace_for_an_unknown_route() {
    TestServer.Response r = server.get("/api/v1/jobs/" + "x".repeat(5000), Map.of());

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().length()).isLessThan(2000);
  }
}
