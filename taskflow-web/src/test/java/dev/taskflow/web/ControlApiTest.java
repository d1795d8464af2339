package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Job controls over HTTP: queue max depth (429 with Retry-After), queue position, resources. */
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
    long before = server.taskflow.stateCounts().get(JobState.ENQUEUED);

    TestServer.Response batch =
        server.post("/api/v1/jobs/batch", "{\"jobs\":[" + job + "," + job + "]}");

    assertThat(batch.status()).isEqualTo(429);
    assertThat(batch.contentType()).startsWith("application/problem+json");
    assertThat(batch.header("Retry-After")).isEqualTo("5");
    JsonNode p = batch.json();
    assertThat(p.get("type").asString()).endsWith("queue-full");
    assertThat(p.get("detail").asString()).contains("'parked'", "1 waiting", "max depth 2");
    assertThat(p.get("errors").get(0).get("code").asString()).isEqualTo("queue_full");
    assertThat(server.taskflow.stateCounts().get(JobState.ENQUEUED))
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
  void an_enqueued_job_shows_its_queue_position_and_a_finished_one_null() {
    String job = "{\"type\":\"demo.echo\",\"queue\":\"waiting-room\",\"args\":{}}";
    server.post("/api/v1/jobs", job);
    String second = server.enqueue(job);

    JsonNode waiting = server.get("/api/v1/jobs/" + second).json();

    assertThat(waiting.get("state").asString()).isEqualTo("enqueued");
    assertThat(waiting.get("queuePosition").asLong()).isEqualTo(1);
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
