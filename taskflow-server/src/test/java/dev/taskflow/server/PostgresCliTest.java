package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The CLI on the real PostgreSQL ({@code TASKFLOW_TEST_PG_URL}): {@code migrate}, {@code
 * --no-migrate}, and two servers sharing one schema. Skips when PostgreSQL is unreachable, except
 * under CI, where it fails.
 */
class PostgresCliTest {
  static final String PG =
      System.getenv()
          .getOrDefault(
              "TASKFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private String schema;
  private String store;

  @BeforeEach
  void fresh_schema() {
    try (Connection c = DriverManager.getConnection(PG)) {
      c.isValid(5);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + PG + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why, e);
      Assumptions.abort(why + "; start it or set TASKFLOW_TEST_PG_URL");
    }
    schema =
        ("cli_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .toLowerCase(Locale.ROOT);
    store = PG + (PG.contains("?") ? "&" : "?") + "schema=" + schema;
  }

  @AfterEach
  void drop_schema() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void migrate_prints_the_sql_applies_it_once_and_then_reports_up_to_date() {
    CliTest.Result printed = CliTest.cli("migrate", "--store", store, "--print-sql");
    assertThat(printed.code()).isZero();
    assertThat(printed.out()).contains("-- V1__init.sql").contains("CREATE TABLE taskflow_jobs");

    CliTest.Result applied = CliTest.cli("migrate", "--store", store);
    assertThat(applied.code()).isZero();
    assertThat(applied.out())
        .contains("applied " + migrationCount() + " migration(s) to schema " + schema);

    CliTest.Result again = CliTest.cli("migrate", "--store", store);
    assertThat(again.out()).contains("is up to date");
  }

  @Test
  void a_server_with_no_migrate_refuses_a_schema_that_is_behind() {
    assertThatThrownBy(
            () -> CliTest.startServer("--store", store, "--no-migrate", "--port", "0", "--demo"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("automatic migration is off")
        .hasMessageContaining("taskflow migrate");
  }

  @Test
  void a_bad_postgres_url_is_a_usage_error() {
    CliTest.Result r = CliTest.cli("worker", "--store", "postgres://u@host/db?schema=No-Way");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("schema 'No-Way'");
  }

  // An SSE client on node A sees the events of a job that node B runs: A runs no queue of the job.
  @Test
  void an_sse_client_on_one_server_sees_the_events_of_a_job_another_server_runs() throws Exception {
    try (ServerCommand.Running a =
            CliTest.startServer(
                "--store", store, "--port", "0", "--demo", "--queue", "elsewhere=1");
        ServerCommand.Running b =
            CliTest.startServer(
                "--store", store, "--port", "0", "--demo", "--queue", "default=2")) {
      CliTest.Result enq =
          CliTest.cli("enqueue", "demo.sleep", "{\"ms\": 1500, \"steps\": 3}", "--url=" + a.url());
      assertThat(enq.code()).as(enq.err()).isZero();
      String id = ApiClient.JSON.readTree(enq.out()).get("id").asString();

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> sse =
          http.send(
              HttpRequest.newBuilder(URI.create(a.url() + "/api/v1/jobs/" + id + "/events"))
                  .header("Accept", "text/event-stream")
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(sse.body())
          .contains("job.enqueued")
          .contains("job.started")
          .contains("job.progress")
          .contains("job.completed");
      JsonNode job =
          ApiClient.JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(a.url() + "/api/v1/jobs/" + id)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(job.toString()).contains("completed");
      assertThat(b.taskflow().get(java.util.UUID.fromString(id)).orElseThrow().leaseOwner())
          .isNull();
    }
  }

  /** How many migrations the PostgreSQL store ships (the lines of its index that name a file). */
  private static long migrationCount() {
    try (var in =
        dev.taskflow.postgres.PostgresStorage.class.getResourceAsStream(
            "/dev/taskflow/postgres/migrations/index.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> l.endsWith(".sql") && !l.startsWith("#"))
          .count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
