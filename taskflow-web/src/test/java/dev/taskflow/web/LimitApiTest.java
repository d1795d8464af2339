package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/limits} on a real server: the round trip, and a limit holding jobs back. */
class LimitApiTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_limit_is_created_replaced_read_listed_and_deleted() {
    TestServer.Response created =
        server.put(
            "/api/v1/limits/emails",
            "{\"type\":\"email.send\",\"scope\":\"owner\",\"maxRunning\":2,"
                + "\"rateCount\":100,\"ratePeriod\":\"PT1M\"}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/limits/emails");
    JsonNode l = created.json();
    assertThat(l.get("name").asString()).isEqualTo("emails");
    assertThat(l.get("type").asString()).isEqualTo("email.send");
    assertThat(l.get("queue").isNull()).isTrue();
    assertThat(l.get("scope").asString()).isEqualTo("owner");
    assertThat(l.get("maxRunning").asInt()).isEqualTo(2);
    assertThat(l.get("rateCount").asInt()).isEqualTo(100);
    assertThat(l.get("ratePeriod").asString()).isEqualTo("PT1M");
    assertThat(l.get("usage").get("running").asLong()).isZero();

    TestServer.Response replaced =
        server.put("/api/v1/limits/emails", "{\"name\":\"emails\",\"maxRunning\":5}");
    assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
    assertThat(replaced.json().get("scope").asString()).isEqualTo("global");
    assertThat(replaced.json().get("rateCount").isNull()).isTrue();

    server.put("/api/v1/limits/another", "{\"queue\":\"side\",\"scope\":\"key\",\"maxRunning\":1}");
    List<String> names = new ArrayList<>();
    server
        .get("/api/v1/limits")
        .json()
        .get("items")
        .forEach(i -> names.add(i.get("name").asString()));
    assertThat(names).containsExactly("another", "emails");
    assertThat(server.get("/api/v1/limits/emails").json().get("maxRunning").asInt()).isEqualTo(5);

    assertThat(server.delete("/api/v1/limits/emails").status()).isEqualTo(204);
    assertThat(server.get("/api/v1/limits/emails").status()).isEqualTo(404);
    assertThat(server.taskflow.limits().list().items())
        .extracting(x -> x.name())
        .containsExactly("another");
  }

  @Test
  void a_limit_put_over_http_keeps_jobs_enqueued_until_there_is_room() {
    assertThat(
            server
                .put("/api/v1/limits/one-block", "{\"type\":\"test.block\",\"maxRunning\":1}")
                .status())
        .isEqualTo(201);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(server.enqueue("{\"type\":\"test.block\"}"));

    await().atMost(Duration.ofSeconds(10)).until(() -> count(ids, "processing") == 1);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> count(ids, "processing") == 1 && count(ids, "enqueued") == 2);
    JsonNode usage = server.get("/api/v1/limits/one-block").json().get("usage");
    assertThat(usage.get("running").asLong()).isEqualTo(1);
    assertThat(usage.get("runningByBucket").get("").asLong()).isEqualTo(1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              server.releaseBlocked();
              return count(ids, "completed") == 3;
            });
  }

  private long count(List<String> ids, String state) {
    return ids.stream()
        .filter(id -> server.get("/api/v1/jobs/" + id).json().get("state").asString().equals(state))
        .count();
  }
}
