package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/recurring} on a real server: the schedules fire in the background. */
class RecurringApiTest {
  private final TestServer server = TestServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_put_schedule_fires_in_the_background_and_shows_its_runs() {
    TestServer.Response created =
        server.put(
            "/api/v1/recurring/tick",
            "{\"every\":\"PT1S\",\"job\":{\"type\":\"demo.echo\",\"args\":{\"n\":1},\"tags\":[\"t\"]}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/recurring/tick");
    JsonNode s = created.json();
    assertThat(s.get("every").asString()).isEqualTo("PT1S");
    assertThat(s.get("zone").asString()).isEqualTo("UTC");
    assertThat(s.get("misfire").asString()).isEqualTo("run_once");
    assertThat(s.get("overlap").asString()).isEqualTo("allow");
    assertThat(s.get("nextFires")).hasSize(5);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> server.get("/api/v1/recurring/tick").json().get("runs").asLong() >= 2);

    JsonNode info = server.get("/api/v1/recurring/tick").json();
    String lastJob = info.get("lastJobId").asString();
    JsonNode job = server.get("/api/v1/jobs/" + lastJob).json();
    assertThat(job.get("type").asString()).isEqualTo("demo.echo");
    assertThat(job.get("uniqueKey").asString())
        .isEqualTo(
            "recurring:tick:" + Instant.parse(info.get("lastFireAt").asString()).toEpochMilli());
    List<String> tags = new ArrayList<>();
    job.get("tags").forEach(t -> tags.add(t.asString()));
    assertThat(tags).containsExactly("t", "recurring:tick");
  }

  @Test
  void put_again_answers_200_and_pause_resume_trigger_and_delete_work() {
    String body =
        "{\"cron\":\"0 3 * * *\",\"zone\":\"Europe/Berlin\",\"job\":{\"type\":\"demo.echo\"}}";
    assertThat(server.put("/api/v1/recurring/nightly", body).status()).isEqualTo(201);
    assertThat(server.put("/api/v1/recurring/nightly", body).status()).isEqualTo(200);

    JsonNode list = server.get("/api/v1/recurring").json();
    assertThat(list.get("items")).hasSize(1);
    assertThat(list.get("items").get(0).get("id").asString()).isEqualTo("nightly");
    String next = list.get("items").get(0).get("nextFireAt").asString();
    assertThat(Instant.parse(next).atZone(java.time.ZoneId.of("Europe/Berlin")).getHour())
        .isEqualTo(3);

    JsonNode paused = server.post("/api/v1/recurring/nightly/pause").json();
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("nextFires")).isEmpty();
    JsonNode resumed = server.post("/api/v1/recurring/nightly/resume").json();
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(resumed.get("nextFireAt").asString()).isEqualTo(next);

    TestServer.Response triggered = server.post("/api/v1/recurring/nightly/trigger");
    assertThat(triggered.status()).isEqualTo(201);
    String jobId = triggered.json().get("id").asString();
    assertThat(triggered.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
    assertThat(server.get("/api/v1/recurring/nightly").json().get("runs").asLong()).isZero();

    assertThat(server.delete("/api/v1/recurring/nightly").status()).isEqualTo(204);
    assertThat(server.get("/api/v1/recurring/nightly").status()).isEqualTo(404);
  }

  @Test
  void a_too_frequent_schedule_gets_422_with_its_next_fire_times() {
    TestServer.Response r =
        server.put(
            "/api/v1/recurring/fast", "{\"every\":\"PT0.25S\",\"job\":{\"type\":\"demo.echo\"}}");

    assertThat(r.status()).isEqualTo(422);
    JsonNode error = r.json().get("errors").get(0);
    assertThat(error.get("pointer").asString()).isEqualTo("/every");
    assertThat(error.get("code").asString()).isEqualTo("too_frequent");
    assertThat(r.json().get("detail").asString())
        .contains("PT0.25S", "PT1S", "next fires in UTC: ")
        .containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, ");
  }

  @Test
  void an_invalid_cron_expression_names_the_cron_rule() {
    TestServer.Response r =
        server.put(
            "/api/v1/recurring/bad", "{\"cron\":\"0 25 * * *\",\"job\":{\"type\":\"demo.echo\"}}");

    assertThat(r.status()).isEqualTo(422);
    JsonNode error = r.json().get("errors").get(0);
    assertThat(error.get("pointer").asString()).isEqualTo("/cron");
    assertThat(error.get("code").asString()).isNotBlank();
    assertThat(error.get("message").asString()).contains("25");
  }
}
