package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.EnqueueResult;
import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.Recurring;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.TaskFlow;
import dev.taskflow.cron.CronExpression;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of docs/recurring.md, run on a manual clock. Each {@code docs::NAME[]} region
 * stands word for word in the page ({@link SnippetsTest} checks it).
 */
class RecurringExampleTest {
  @Test
  void schedules_are_put_read_paused_resumed_triggered_and_deleted() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T00:00:00Z"));
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .worker("report.build", Map.class, (args, ctx) -> "built")
            .worker("ping.send", Map.class, (args, ctx) -> "pong")
            .queue("reports", q -> q.concurrency(1))
            .build()) {
      // docs::schedules[]
      Recurring recurring = taskflow.recurring();
      recurring.put(
          RecurringSchedule.cron("nightly-report", "0 3 * * *") // 03:00 every day
              .zone("Europe/Berlin") // IANA zone; default UTC
              .job("report.build", "{\"scope\":\"all\"}") // type and JSON args (or a JobArgs)
              .queue("reports") // also priority, maxAttempts, timeout, owner, tags
              .overlap(RecurringSchedule.Overlap.SKIP) // no fire while the last job is live
              .build());

      recurring.put(
          RecurringSchedule.every("heartbeat", Duration.ofSeconds(30))
              .job("ping.send", "{}")
              .build());

      RecurringInfo info = recurring.get("nightly-report").orElseThrow();
      List<Instant> next = info.nextFires(); // the next five fire times
      Instant last = info.lastFireAt(); // also lastJobId() and runs()

      recurring.pause("nightly-report");
      recurring.resume("nightly-report");
      EnqueueResult now = recurring.trigger("nightly-report"); // one job now, not a fire
      recurring.delete("heartbeat");
      // end-docs::schedules[]

      assertThat(next).hasSize(5).startsWith(Instant.parse("2026-03-02T02:00:00Z")); // 03:00 CET
      assertThat(last).isNull();
      assertThat(taskflow.runDueJobs()).isEqualTo(1);
      Job triggered = taskflow.get(now.job().id()).orElseThrow();
      assertThat(triggered.state()).isEqualTo(JobState.COMPLETED);
      assertThat(triggered.queue()).isEqualTo("reports");
      assertThat(triggered.tags()).containsExactly("recurring:nightly-report");
      RecurringInfo after = recurring.get("nightly-report").orElseThrow();
      assertThat(after.schedule().paused()).isFalse();
      assertThat(after.runs()).as("a trigger is not a fire").isZero();
      assertThat(recurring.all()).extracting(RecurringInfo::id).containsExactly("nightly-report");
    }
  }

  @Test
  void a_test_drives_a_schedule_with_a_manual_clock() {
    // docs::manual-clock[]
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T00:00:00Z"));
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .worker("report.build", Map.class, (args, ctx) -> "built")
            .build()) {
      Recurring recurring = taskflow.recurring();
      recurring.put(
          RecurringSchedule.every("minutely", Duration.ofMinutes(1))
              .job("report.build", "{}")
              .build());

      clock.advance(Duration.ofMinutes(1));
      assertThat(taskflow.runDueJobs()).isEqualTo(1); // enqueued and ran the 00:01 fire
      assertThat(recurring.get("minutely").orElseThrow().lastFireAt())
          .isEqualTo(Instant.parse("2026-03-02T00:01:00Z"));
    }
    // end-docs::manual-clock[]
  }

  @Test
  void cron_times_in_a_daylight_saving_gap_and_overlap() {
    // docs::dst[]
    ZoneId newYork = ZoneId.of("America/New_York");
    Optional<Instant> next =
        CronExpression.parse("30 2 * * *")
            .nextAfter(Instant.parse("2025-03-08T12:00:00Z"), newYork);
    // 2025-03-09T07:00:00Z: 02:30 does not exist that day, so 03:00 EDT
    List<Instant> fires =
        CronExpression.parse("*/15 * * * *")
            .nextFires(Instant.parse("2025-11-02T05:40:00Z"), newYork, 3);
    // 05:45Z, 06:00Z, 06:15Z: 01:45 EDT, 01:00 EST, 01:15 EST
    // end-docs::dst[]
    assertThat(next).contains(Instant.parse("2025-03-09T07:00:00Z"));
    assertThat(fires)
        .containsExactly(
            Instant.parse("2025-11-02T05:45:00Z"),
            Instant.parse("2025-11-02T06:00:00Z"),
            Instant.parse("2025-11-02T06:15:00Z"));
  }
}
