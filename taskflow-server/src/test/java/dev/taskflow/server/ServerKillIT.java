package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.fixtures.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The promise under SIGKILL: a server process on a SQLite file is killed with 200 {@code
 * demo.sleep} jobs in flight; a new process on the same file completes every acknowledged job.
 * Reports how many jobs ran more than once (at-least-once, not exactly-once).
 */
class ServerKillIT {
  private static final int JOBS = 200;
  private static final Pattern RUNNING_AT = Pattern.compile("^TaskFlow is running at (\\S+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void kill_children_and_keep_their_logs() throws IOException {
    children.forEach(ChildJvm::close);
    // The servers' logs outlive the temp dir, for a look after a failure.
    ShadedJar.keepLogs(dir, "crash-test-");
  }

  @Test
  void a_server_killed_with_sigkill_loses_no_acknowledged_job() throws Exception {
    Path db = dir.resolve("crash.db");
    Child first = startServer(db, "first");

    List<String> acknowledged = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < JOBS; i++) {
      String args =
          "{\"ms\": "
              + (200 + random.nextInt(301))
              + ", \"steps\": "
              + (2 + random.nextInt(4))
              + "}";
      HttpResponse<String> res =
          send(
              first.url, "POST", "/api/v1/jobs", "{\"type\":\"demo.sleep\",\"args\":" + args + "}");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
      acknowledged.add(json(res).get("id").asString());
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode states = stats(first.url);
              return states.get("processing").asLong() > 0
                  && states.get("completed").asLong() >= 10;
            });

    first.process.kill(); // SIGKILL: no shutdown hook, no release of leases
    Child second = startServer(db, "second");

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stats(second.url).get("completed").asLong() == JOBS);

    int lost = 0;
    int ranMoreThanOnce = 0;
    for (String id : acknowledged) {
      HttpResponse<String> res = send(second.url, "GET", "/api/v1/jobs/" + id, null);
      if (res.statusCode() != 200 || !json(res).get("state").asString().equals("completed")) {
        lost++;
        continue;
      }
      JsonNode job = json(res);
      long processingEntries = 0;
      for (JsonNode h : job.get("history")) {
        if (h.get("state").asString().equals("processing")) processingEntries++;
      }
      if (job.get("attempt").asInt() > 1 || processingEntries > 1) ranMoreThanOnce++;
    }
    String report =
        "crash test: acknowledged="
            + acknowledged.size()
            + " lost="
            + lost
            + " ranMoreThanOnce="
            + ranMoreThanOnce;
    Files.deleteIfExists(ShadedJar.reportDir().resolve("crash-test-report.txt"));
    ShadedJar.report("crash-test-report.txt", report);

    assertThat(acknowledged).hasSize(JOBS).doesNotHaveDuplicates();
    assertThat(lost).as(report).isZero();
    // Jobs were processing when the process died, so some ran again after rescue.
    assertThat(ranMoreThanOnce).as(report).isPositive();
  }

  // ------------------------------------------------------------------ child processes

  private record Child(ChildJvm process, String url) {}

  /**
   * Starts {@code taskflow server} from the shaded jar in a new JVM on a free port, with a 2 s
   * lease so that the jobs of a killed server are rescued quickly; returns once it serves HTTP.
   */
  private Child startServer(Path db, String name) {
    ChildJvm p =
        ShadedJar.run(
                "server",
                "--demo",
                "--store=sqlite:" + db,
                "--port=0",
                "--lease=PT2S",
                "--shutdown-grace=PT1S")
            .start(dir.resolve(name + "-server.log"));
    children.add(p);
    return new Child(p, p.awaitLine(RUNNING_AT, Duration.ofSeconds(60)).group(1));
  }

  // ------------------------------------------------------------------ HTTP

  private static JsonNode stats(String url) throws Exception {
    HttpResponse<String> res = send(url, "GET", "/api/v1/stats", null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res).get("states");
  }

  private static HttpResponse<String> send(String url, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> res) {
    return ApiClient.JSON.readTree(res.body());
  }
}
