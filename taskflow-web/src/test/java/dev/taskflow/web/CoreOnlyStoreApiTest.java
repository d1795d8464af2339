package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.memory.CoreOnlyStorage;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP API on a store that keeps only the core of the SPI: jobs work as anywhere, and every
 * route of a feature the store lacks answers a 501 problem naming the feature.
 */
class CoreOnlyStoreApiTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.on(new CoreOnlyStorage(new InMemoryStorage(Clock.systemUTC())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertUnsupported(TestServer.Response r, String feature) {
    assertThat(r.status()).as(r.toString()).isEqualTo(501);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.path("type").asString()).isEqualTo("urn:taskflow:problem:feature-unsupported");
    assertThat(p.path("status").asInt()).isEqualTo(501);
    assertThat(p.path("feature").asString()).isEqualTo(feature);
    assertThat(p.path("detail").asString()).startsWith("the core-only store does not keep ");
    assertThat(r.header("Retry-After")).as("retrying never helps").isNull();
  }

  @Test
  void jobs_are_enqueued_and_run_as_on_any_store() {
    String id = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":1}}");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server.get("/api/v1/jobs/" + id).json().path("state").asString(),
            "completed"::equals);
  }

  @Test
  void limit_recurring_and_batch_routes_answer_501_naming_the_feature() {
    assertUnsupported(server.get("/api/v1/limits"), "limits");
    assertUnsupported(server.get("/api/v1/recurring"), "recurring");
    assertUnsupported(
        server.post("/api/v1/batches", "{\"jobs\":[{\"type\":\"demo.echo\",\"args\":{}}]}"),
        "flows");
  }

  @Test
  void a_job_with_dependencies_answers_501_and_nothing_is_stored() {
    String parent = server.enqueue("{\"type\":\"demo.echo\",\"args\":{}}");
    long before = server.get("/api/v1/jobs?limit=100").json().path("items").size();

    assertUnsupported(
        server.post(
            "/api/v1/jobs",
            "{\"type\":\"demo.echo\",\"args\":{},\"dependsOn\":[\"" + parent + "\"]}"),
        "flows");
    assertThat(server.get("/api/v1/jobs?limit=100").json().path("items").size()).isEqualTo(before);
  }
}
