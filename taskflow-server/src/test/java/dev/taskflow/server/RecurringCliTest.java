package dev.taskflow.server;

import static dev.taskflow.server.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringSchedule;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code taskflow recurring ...} against a real server (in-memory store). */
class RecurringCliTest {
  private static ServerCommand.Running server;
  private static String url;

  @BeforeAll
  static void start_server() throws Exception {
    server = CliTest.startServer("--demo", "--store", "memory", "--port", "0");
    url = "--url=" + server.url();
  }

  @AfterAll
  static void stop_server() {
    server.close();
  }

  @Test
  void put_list_pause_resume_trigger_and_delete_a_schedule() {
    CliTest.Result put =
        cli(
            "recurring",
            "put",
            "nightly",
            "--cron=0 3 * * *",
            "--zone=Europe/Berlin",
            "--type=demo.echo",
            "--args={\"scope\":\"all\"}",
            "--tag=reports",
            "--overlap=skip",
            "--misfire=skip",
            url);
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).contains("nightly", "0 3 * * *", "Europe/Berlin", "active");
    RecurringInfo stored = server.taskflow().recurring().get("nightly").orElseThrow();
    assertThat(stored.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(stored.schedule().overlap()).isEqualTo(RecurringSchedule.Overlap.SKIP);
    assertThat(stored.schedule().misfire()).isEqualTo(RecurringSchedule.Misfire.SKIP);
    assertThat(stored.schedule().job().options().tags()).containsExactly("reports");

    assertThat(cli("recurring", "list", url).out()).contains("ID", "nightly", "demo.echo");
    assertThat(cli("recurring", "pause", "nightly", url).out()).contains("paused");
    assertThat(server.taskflow().recurring().get("nightly").orElseThrow().schedule().paused())
        .isTrue();
    assertThat(cli("recurring", "resume", "nightly", url).out()).contains("active");

    CliTest.Result trigger = cli("recurring", "trigger", "nightly", url);
    assertThat(trigger.code()).as(trigger.err()).isZero();
    assertThat(trigger.out()).contains("enqueued job", "demo.echo");

    CliTest.Result delete = cli("recurring", "delete", "nightly", url);
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(server.taskflow().recurring().get("nightly")).isEmpty();
    assertThat(cli("recurring", "list", url).out()).contains("No recurring schedules.");
  }

  @Test
  void put_with_an_end_a_run_cap_and_a_misfire_limit_stores_them_and_get_shows_them() {
    CliTest.Result put =
        cli(
            "recurring",
            "put",
            "capped",
            "--every=PT1H",
            "--type=demo.echo",
            "--misfire=run_all",
            "--misfire-limit=7",
            "--end-at=2099-06-30T00:00:00Z",
            "--max-runs=12",
            url);
    assertThat(put.code()).as(put.err()).isZero();
    RecurringSchedule stored = server.taskflow().recurring().get("capped").orElseThrow().schedule();
    assertThat(stored.misfire()).isEqualTo(RecurringSchedule.Misfire.RUN_ALL);
    assertThat(stored.misfireLimit()).isEqualTo(7);
    assertThat(stored.endAt()).isEqualTo(Instant.parse("2099-06-30T00:00:00Z"));
    assertThat(stored.maxRuns()).isEqualTo(12L);

    CliTest.Result get = cli("recurring", "get", "capped", url);

    assertThat(get.code()).as(get.err()).isZero();
    assertThat(get.out())
        .contains(
            "capped",
            "every PT1H",
            "misfire        run_all",
            "misfire limit  7",
            "end at         2099-06-30T00:00:00Z",
            "max runs       12",
            "next fires     ");
    JsonNode json = ApiClient.JSON.readTree(cli("recurring", "get", "capped", "--json", url).out());
    assertThat(json.get("maxRuns").asLong()).isEqualTo(12);
    assertThat(json.get("misfireLimit").asInt()).isEqualTo(7);
    assertThat(json.get("endAt").asString()).isEqualTo("2099-06-30T00:00:00Z");
  }

  @Test
  void get_of_an_unknown_schedule_exits_1() {
    CliTest.Result r = cli("recurring", "get", "nobody", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("(404)", "nobody");
  }

  @Test
  void an_invalid_cron_expression_prints_the_field_and_exits_1() {
    CliTest.Result r = cli("recurring", "put", "bad", "--cron=0 25 * * *", "--type=demo.echo", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cron:", "hour", "25", "out_of_range");
  }

  @Test
  void put_needs_exactly_one_of_cron_and_every() {
    CliTest.Result both =
        cli("recurring", "put", "x", "--cron=* * * * *", "--every=PT1M", "--type=demo.echo", url);
    CliTest.Result none = cli("recurring", "put", "x", "--type=demo.echo", url);

    assertThat(both.code()).isEqualTo(2);
    assertThat(none.code()).isEqualTo(2);
  }

  @Test
  void pausing_an_unknown_schedule_exits_1() {
    CliTest.Result r = cli("recurring", "pause", "nobody", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nobody");
  }
}
