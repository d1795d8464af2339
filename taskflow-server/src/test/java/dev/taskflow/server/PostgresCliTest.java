package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.fixtures.PgTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The CLI on the real PostgreSQL ({@code TASKFLOW_TEST_PG_URL}): {@code migrate}, {@code
 * --no-migrate}, and two servers sharing one schema. Skips when PostgreSQL is unreachable, except
 * under CI, where it fails.
 */
class PostgresCliTest {
  @RegisterExtension final PgSchema pg = new PgSchema("cli");

  @Test
  void migrate_prints_the_sql_applies_it_once_and_then_reports_up_to_date() {
    Cli.Result printed = Cli.cli("migrate", "--store", pg.url(), "--print-sql");
    assertThat(printed.code()).isZero();
    assertThat(printed.out()).contains("-- V1__init.sql").contains("CREATE TABLE taskflow_jobs");

    Cli.Result applied = Cli.cli("migrate", "--store", pg.url());
    assertThat(applied.code()).isZero();
    assertThat(applied.out())
        .contains(
            "applied " + PgTestDatabase.migrationCount() + " migration(s) to schema " + pg.name());

    Cli.Result again = Cli.cli("migrate", "--store", pg.url());
    assertThat(again.out()).contains("is up to date");
  }

  @Test
  void a_server_with_no_migrate_refuses_a_schema_that_is_behind() {
    assertThatThrownBy(
            () -> Cli.startServer("--store", pg.url(), "--no-migrate", "--port", "0", "--demo"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("automatic migration is off")
        .hasMessageContaining("taskflow migrate");
  }

  @Test
  void a_bad_postgres_url_is_a_usage_error() {
    Cli.Result r = Cli.cli("worker", "--store", "postgres://u@host/db?schema=No-Way");

    r.assertUsageError("schema 'No-Way'");
  }

  // An SSE client on node A sees the events of a job that node B runs: A runs no queue of the job.
  @Test
  void an_sse_client_on_one_server_sees_the_events_of_a_job_another_server_runs() throws Exception {
    try (ServerCommand.Running a =
            Cli.startServer(
                "--store", pg.url(), "--port", "0", "--demo", "--queue", "elsewhere=1");
        ServerCommand.Running b =
            Cli.startServer("--store", pg.url(), "--port", "0", "--demo", "--queue", "default=2")) {
      Cli.Result enq =
          Cli.cli("enqueue", "demo.sleep", "{\"ms\": 1500, \"steps\": 3}", "--url=" + a.url());
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
}
