package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/batches} and {@code GET /api/v1/batches/{id}} on a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchRoutesTest {
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void a_batch_is_created_with_member_dependencies_and_completes_with_its_callback() {
    TestServer.Response created =
        server.post(
            "/api/v1/batches",
            """
            {"description": "three echoes", "metadata": {"week": 12},
             "jobs": [{"type": "demo.echo", "args": {"n": 1}},
                      {"type": "demo.echo", "args": {"n": 2}},
                      {"type": "demo.echo", "args": {"n": 3}, "dependsOn": [0, 1]}],
             "callback": {"type": "demo.echo", "args": {"done": true}}}
            """);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode body = created.json();
    String id = body.path("id").asString();
    assertThat(created.header("Location")).isEqualTo("/api/v1/batches/" + id);
    assertThat(body.path("ids")).hasSize(3);
    String join = body.path("ids").get(2).asString();
    JsonNode joinJob = server.get("/api/v1/jobs/" + join).json();
    assertThat(joinJob.path("dependsOn").get(0).asString())
        .isEqualTo(body.path("ids").get(0).asString());
    assertThat(joinJob.path("batchId").asString()).isEqualTo(id);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/batches/" + id).json().path("state").asString(),
            s -> s.equals("completed"));
    JsonNode batch = server.get("/api/v1/batches/" + id).json();
    assertThat(batch.path("total").asInt()).isEqualTo(3);
    assertThat(batch.path("counts").path("completed").asInt()).isEqualTo(3);
    assertThat(batch.path("metadata").path("week").asInt()).isEqualTo(12);
    assertThat(batch.path("description").asString()).isEqualTo("three echoes");
    assertThat(batch.path("finishedAt").isString()).isTrue();
    String callback = body.path("callbackJobId").asString();
    assertThat(batch.path("callbackJobId").asString()).isEqualTo(callback);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/jobs/" + callback).json().path("state").asString(),
            s -> s.equals("completed"));
    JsonNode cbArgs = server.get("/api/v1/jobs/" + callback).json().path("args");
    assertThat(cbArgs.path("batch").path("state").asString()).isEqualTo("completed");
  }
}
