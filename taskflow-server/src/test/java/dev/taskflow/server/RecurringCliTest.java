package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringSchedule;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code taskflow recurring ...} against a real server (in-memory store). */
class RecurringCliTest {
  @RegisterExtension static final CliServer server = new CliServer();

  @Test
  void put_list_pause_resume_trigger_and_delete_a_schedule() {
    Cli.Result put =
        server.cli(
            "recurring",
            "put",
            "nightly",
            "--cron=0 3 * * *",
            "--zone=Europe/Berlin",
            "--type=demo.echo",
            "--args={\"scope\":\"all\"}",
            "--tag=reports",
            "--overlap=skip",
            "--misfire=skip");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).contains("nightly", "0 3 * * *", "Europe/Berlin", "active");
    RecurringInfo stored = server.taskflow().recurring().get("nightly").orElseThrow();
    assertThat(stored.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(stored.schedule().overlap()).isEqualTo(RecurringSchedule.Overlap.SKIP);
    assertThat(stored.schedule().misfire()).isEqualTo(RecurringSchedule.Misfire.SKIP);
    assertThat(stored.schedule().job().options().tags()).containsExactly("reports");

    assertThat(server.cli("recurring", "list").out()).contains("ID", "nightly", "demo.echo");
    assertThat(server.cli("recurring", "pause", "nightly").out()).contains("paused");
    assertThat(server.taskflow().recurring().get("nightly").orElseThrow().schedule().paused())
        .isTrue();
    assertThat(server.cli("recurring", "resume", "nightly").out()).contains("active");

    Cli.Result trigger = server.cli("recurring", "trigger", "nightly");
    assertThat(trigger.code()).as(trigger.err()).isZero();
    assertThat(trigger.out()).contains("enqueued job", "demo.echo");

    Cli.Result delete = server.cli("recurring", "delete", "nightly");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(server.taskflow().recurring().get("nightly")).isEmpty();
    assertThat(server.cli("recurring", "list").out()).contains("No recurring schedules.");
  }

  @Test
  void put_with_an_end_a_run_cap_and_a_misfire_limit_stores_them_and_get_shows_them() {
    Cli.Result put =
        server.cli(
            "recurring",
            "put",
            "capped",
            "--every=PT1H",
            "--type=demo.echo",
            "--misfire=run_all",
            "--misfire-limit=7",
            "--end-at=2099-06-30T00:00:00Z",
            "--max-runs=12");
    assertThat(put.code()).as(put.err()).isZero();
    RecurringSchedule stored = server.taskflow().recurring().get("capped").orElseThrow().schedule();
    assertThat(stored.misfire()).isEqualTo(RecurringSchedule.Misfire.RUN_ALL);
    assertThat(stored.misfireLimit()).isEqualTo(7);
    assertThat(stored.endAt()).isEqualTo(Instant.parse("2099-06-30T00:00:00Z"));
    assertThat(stored.maxRuns()).isEqualTo(12L);

    Cli.Result get = server.cli("recurring", "get", "capped");

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
    JsonNode json =
        ApiClient.JSON.readTree(server.cli("recurring", "get", "capped", "--json").out());
    assertThat(json.get("maxRuns").asLong()).isEqualTo(12);
    assertThat(json.get("misfireLimit").asInt()).isEqualTo(7);
    assertThat(json.get("endAt").asString()).isEqualTo("2099-06-30T00:00:00Z");
  }

  @Test
  void get_of_an_unknown_schedule_exits_1() {
    Cli.Result r = server.cli("recurring", "get", "nobody");

    r.assertFailed("(404)", "nobody");
  }

  @Test
  void an_invalid_cron_expression_prints_the_field_and_exits_1() {
    Cli.Result r = server.cli("recurring", "put", "bad", "--cron=0 25 * * *", "--type=demo.echo");

    r.assertFailed("cron:", "hour", "25", "out_of_range");
  }

  @Test
  void put_needs_exactly_one_of_cron_and_every() {
    Cli.Result both =
        server.cli("recurring", "put", "x", "--cron=* * * * *", "--every=PT1M", "--type=demo.echo");
    Cli.Result none = server.cli("recurring", "put", "x", "--type=demo.echo");

    assertThat(both.code()).isEqualTo(2);
    assertThat(none.code()).isEqualTo(2);
  }

  @Test
  void pausing_an_unknown_schedule_exits_1() {
    Cli.Result r = server.cli("recurring", "pause", "nobody");

    r.assertFailed("nobody");
  }
}
