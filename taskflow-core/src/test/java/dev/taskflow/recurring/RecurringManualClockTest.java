package dev.taskflow.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.EnqueueResult;
import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobQuery;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.Recurring;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringNotFoundException;
import dev.taskflow.RecurringPutResult;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.RecurringSchedule.Misfire;
import dev.taskflow.RecurringSchedule.Overlap;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Recurring schedules on a manual clock: every fire is driven by {@code runDueJobs()}. */
class RecurringManualClockTest {
  private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  private final ManualClock clock = ManualClock.at(T0);
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(new InMemoryStorage(clock))
          .clock(clock)
          .worker("report.build", Map.class, (args, ctx) -> "built")
          .acceptTypes("report.elsewhere")
          .recurringMinInterval(Duration.ofSeconds(10))
          .recurringMisfireGrace(Duration.ofSeconds(10))
          .build();
  private final Recurring recurring = taskflow.recurring();

  @AfterEach
  void close() {
    taskflow.close();
  }

  private static RecurringSchedule.Builder everyMinute(String id) {
    return RecurringSchedule.every(id, Duration.ofMinutes(1)).job("report.build", "{\"n\":1}");
  }

  private Instant t(String hhmmss) {
    return Instant.parse("2026-03-02T" + hhmmss + "Z");
  }

  /** The jobs of a schedule, oldest first. */
  private List<Job> jobsOf(String id) {
    return taskflow.list(JobQuery.all().tag("recurring:" + id).limit(500)).items().stream()
        .sorted(Comparator.comparing(Job::id))
        .toList();
  }

  private List<Instant> fireTimes(String id) {
    return jobsOf(id).stream()
        .map(j -> Instant.ofEpochMilli(Long.parseLong(j.uniqueKey().split(":")[2])))
        .toList();
  }

  private RecurringInfo info(String id) {
    return recurring.get(id).orElseThrow();
  }

  @Test
  void a_schedule_fires_at_each_fire_time_once_and_shows_its_runs_and_next_fires() {
    RecurringPutResult put = recurring.put(everyMinute("minutely").build());
    assertThat(put.created()).isTrue();
    assertThat(put.schedule().nextFires())
        .containsExactly(t("00:01:00"), t("00:02:00"), t("00:03:00"), t("00:04:00"), t("00:05:00"));

    clock.advance(Duration.ofSeconds(59));
    assertThat(taskflow.runDueJobs()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(taskflow.runDueJobs()).isEqualTo(1);
    assertThat(taskflow.runDueJobs()).as("the same fire time is never enqueued twice").isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(taskflow.runDueJobs()).isEqualTo(1);

    List<Job> jobs = jobsOf("minutely");
    assertThat(jobs).extracting(Job::state).containsOnly(JobState.COMPLETED);
    assertThat(jobs)
        .extracting(Job::uniqueKey)
        .containsExactly(
            "recurring:minutely:" + t("00:01:00").toEpochMilli(),
            "recurring:minutely:" + t("00:02:00").toEpochMilli());
    assertThat(jobs.getFirst().argsJson()).isEqualTo("{\"n\":1}");
    RecurringInfo info = info("minutely");
    assertThat(info.runs()).isEqualTo(2);
    assertThat(info.lastFireAt()).isEqualTo(t("00:02:00"));
    assertThat(info.lastJobId()).isEqualTo(jobs.getLast().id());
    assertThat(info.nextFireAt()).isEqualTo(t("00:03:00"));
  }

  @Test
  void after_downtime_run_once_enqueues_one_job_for_the_latest_missed_fire() {
    recurring.put(everyMinute("once").misfire(Misfire.RUN_ONCE).build());

    clock.advance(Duration.ofMinutes(60).plusSeconds(30));
    taskflow.runDueJobs();

    assertThat(fireTimes("once")).containsExactly(t("01:00:00"));
    assertThat(info("once").runs()).isEqualTo(1);
    assertThat(info("once").nextFireAt()).isEqualTo(t("01:01:00"));
  }

  @Test
  void after_downtime_skip_enqueues_nothing_for_missed_fires_and_continues_on_time() {
    recurring.put(everyMinute("skip").misfire(Misfire.SKIP).build());

    clock.advance(Duration.ofMinutes(60).plusSeconds(30));
    taskflow.runDueJobs();
    assertThat(jobsOf("skip")).isEmpty();
    assertThat(info("skip").nextFireAt()).isEqualTo(t("01:01:00"));

    clock.set(t("01:01:00"));
    taskflow.runDueJobs();
    assertThat(fireTimes("skip")).containsExactly(t("01:01:00"));
  }

  @Test
  void after_downtime_run_all_enqueues_the_latest_missed_fires_up_to_the_limit() {
    recurring.put(everyMinute("all").runAllMissed(10).build());
    recurring.put(everyMinute("all-default").misfire(Misfire.RUN_ALL).build());

    clock.advance(Duration.ofMinutes(60).plusSeconds(30));
    taskflow.runDueJobs();

    assertThat(fireTimes("all")).hasSize(10).startsWith(t("00:51:00")).endsWith(t("01:00:00"));
    assertThat(fireTimes("all-default")).hasSize(60).startsWith(t("00:01:00"));
    assertThat(info("all").runs()).isEqualTo(10);
  }

  @Test
  void fires_found_within_the_grace_are_on_time_whatever_the_policy() {
    recurring.put(everyMinute("skip").misfire(Misfire.SKIP).build());

    clock.set(t("00:01:09"));
    taskflow.runDueJobs();

    assertThat(fireTimes("skip")).containsExactly(t("00:01:00"));
  }

  @Test
  void overlap_skip_fires_nothing_while_the_previous_fires_job_is_live() {
    // Its queue is served nowhere here, so the job stays enqueued (live) until cancelled.
    recurring.put(
        RecurringSchedule.every("guarded", Duration.ofMinutes(1))
            .job("report.elsewhere", "{}")
            .queue("elsewhere")
            .overlap(Overlap.SKIP)
            .build());
    recurring.put(
        RecurringSchedule.every("open", Duration.ofMinutes(1))
            .job("report.elsewhere", "{}")
            .queue("elsewhere")
            .build());

    clock.advance(Duration.ofMinutes(1));
    taskflow.runDueJobs();
    clock.advance(Duration.ofMinutes(1));
    taskflow.runDueJobs();
    assertThat(fireTimes("guarded")).containsExactly(t("00:01:00"));
    assertThat(fireTimes("open")).containsExactly(t("00:01:00"), t("00:02:00"));
    assertThat(info("guarded").runs()).isEqualTo(1);
    assertThat(info("guarded").nextFireAt()).isEqualTo(t("00:03:00"));

    taskflow.cancel(info("guarded").lastJobId());
    clock.advance(Duration.ofMinutes(1));
    taskflow.runDueJobs();
    assertThat(fireTimes("guarded")).containsExactly(t("00:01:00"), t("00:03:00"));
  }

  @Test
  void overlap_allow_fires_while_the_previous_run_is_still_processing_and_skip_does_not()
      throws Exception {
    // The 00:01 runs block until released, on another thread, while this one fires 00:02.
    CountDownLatch firstRunStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    long firstFire = t("00:01:00").toEpochMilli();
    try (TaskFlow slow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .leaseDuration(Duration.ofHours(1)) // the manual clock moves; no heartbeat does
            .worker(
                "report.slow",
                Map.class,
                (args, ctx) -> {
                  if (ctx.job().uniqueKey().endsWith(":" + firstFire)) {
                    firstRunStarted.countDown();
                    release.await();
                  }
                  return "built";
                })
            .build()) {
      Recurring schedules = slow.recurring();
      schedules.put(
          RecurringSchedule.every("open", Duration.ofMinutes(1))
              .job("report.slow", "{}")
              .overlap(Overlap.ALLOW)
              .build());
      schedules.put(
          RecurringSchedule.every("guarded", Duration.ofMinutes(1))
              .job("report.slow", "{}")
              .overlap(Overlap.SKIP)
              .build());
      clock.advance(Duration.ofMinutes(1));
      CompletableFuture<Integer> firstRuns = CompletableFuture.supplyAsync(slow::runDueJobs);
      assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
      Job openFirst = slow.get(schedules.get("open").orElseThrow().lastJobId()).orElseThrow();
      Job guardedFirst = slow.get(schedules.get("guarded").orElseThrow().lastJobId()).orElseThrow();
      assertThat(List.of(openFirst.state(), guardedFirst.state()))
          .as("both 00:01 jobs are claimed, one of them running")
          .containsOnly(JobState.PROCESSING);

      clock.advance(Duration.ofMinutes(1));
      assertThat(slow.runDueJobs()).as("jobs run at 00:02").isEqualTo(1);

      RecurringInfo open = schedules.get("open").orElseThrow();
      RecurringInfo guarded = schedules.get("guarded").orElseThrow();
      assertThat(open.runs()).isEqualTo(2);
      assertThat(slow.get(open.lastJobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
      assertThat(slow.get(openFirst.id()).orElseThrow().state())
          .as("the 00:01 run of open, while its 00:02 run started and completed")
          .isEqualTo(JobState.PROCESSING);
      assertThat(guarded.runs()).as("guarded skipped 00:02").isEqualTo(1);
      assertThat(guarded.lastJobId()).isEqualTo(guardedFirst.id());
      assertThat(guarded.nextFireAt()).isEqualTo(t("00:03:00"));

      release.countDown();
      assertThat(firstRuns.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(slow.get(openFirst.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }
  }

  @Test
  void a_paused_schedule_does_not_fire_and_resumes_without_catching_up() {
    recurring.put(everyMinute("p").misfire(Misfire.RUN_ALL).build());
    RecurringInfo paused = recurring.pause("p");
    assertThat(paused.schedule().paused()).isTrue();
    assertThat(paused.nextFires()).isEmpty();

    clock.advance(Duration.ofMinutes(5).plusSeconds(30));
    taskflow.runDueJobs();
    assertThat(jobsOf("p")).isEmpty();

    RecurringInfo resumed = recurring.resume("p");
    assertThat(resumed.nextFireAt()).isEqualTo(t("00:06:00"));
    clock.set(t("00:06:00"));
    taskflow.runDueJobs();
    assertThat(fireTimes("p")).containsExactly(t("00:06:00"));
  }

  @Test
  void a_schedule_stops_at_its_end_date() {
    recurring.put(everyMinute("ends").endAt(t("00:02:30")).build());
    assertThat(info("ends").nextFires()).containsExactly(t("00:01:00"), t("00:02:00"));

    clock.advance(Duration.ofMinutes(10));
    taskflow.runDueJobs();

    RecurringInfo info = info("ends");
    assertThat(info.nextFires()).isEmpty();
    assertThat(info.finished()).isTrue();
    assertThat(fireTimes("ends")).containsExactly(t("00:02:00")); // run once after downtime
  }

  @Test
  void a_schedule_stops_after_its_run_limit() {
    recurring.put(everyMinute("three").maxRuns(3).build());

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      taskflow.runDueJobs();
    }

    assertThat(fireTimes("three")).containsExactly(t("00:01:00"), t("00:02:00"), t("00:03:00"));
    assertThat(info("three").runs()).isEqualTo(3);
    assertThat(info("three").finished()).isTrue();
  }

  @Test
  void trigger_enqueues_one_job_now_that_is_not_counted_as_a_fire() {
    recurring.put(everyMinute("manual").tags("reports").build());
    recurring.pause("manual");

    EnqueueResult r = recurring.trigger("manual");
    taskflow.runDueJobs();

    Job job = taskflow.get(r.job().id()).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.tags()).containsExactly("reports", "recurring:manual");
    assertThat(job.uniqueKey()).isNull();
    RecurringInfo info = info("manual");
    assertThat(info.runs()).isZero();
    assertThat(info.lastJobId()).isNull();
    assertThatThrownBy(() -> recurring.trigger("nope"))
        .isInstanceOf(RecurringNotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void putting_the_same_definition_again_keeps_the_next_fire_so_missed_fires_are_caught_up() {
    recurring.put(everyMinute("boot").build());
    clock.advance(Duration.ofMinutes(30).plusSeconds(30));

    RecurringPutResult again = recurring.put(everyMinute("boot").build());
    assertThat(again.created()).isFalse();
    assertThat(again.schedule().nextFireAt()).isEqualTo(t("00:01:00"));
    taskflow.runDueJobs();

    assertThat(fireTimes("boot")).containsExactly(t("00:30:00"));
  }

  @Test
  void putting_a_changed_definition_fires_next_at_its_first_time_after_now() {
    recurring.put(everyMinute("change").build());
    clock.advance(Duration.ofSeconds(90));

    RecurringInfo changed =
        recurring
            .put(
                RecurringSchedule.every("change", Duration.ofMinutes(5))
                    .job("report.build", "{}")
                    .build())
            .schedule();

    assertThat(changed.nextFireAt()).isEqualTo(t("00:05:00"));
    assertThat(recurring.all()).extracting(RecurringInfo::id).containsExactly("change");
    assertThat(recurring.delete("change")).isTrue();
    assertThat(recurring.get("change")).isEmpty();
  }

  @Test
  void a_schedule_more_frequent_than_the_minimum_is_refused_with_its_next_fire_times() {
    assertThatThrownBy(
            () ->
                recurring.put(
                    RecurringSchedule.every("fast", Duration.ofSeconds(5))
                        .job("report.build", "{}")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo("every");
              assertThat(e.rule()).isEqualTo("too_frequent");
            })
        .hasMessageContaining("PT10S")
        .hasMessageContaining("2026-03-02T00:00:05Z, 2026-03-02T00:00:10Z");
  }

  @Test
  void a_cron_schedule_fires_at_local_times_of_its_zone() {
    recurring.put(
        RecurringSchedule.cron("berlin", "0 3 * * *")
            .zone("Europe/Berlin")
            .job("report.build", "{}")
            .build());
    assertThat(info("berlin").nextFires())
        .startsWith(t("02:00:00"), Instant.parse("2026-03-03T02:00:00Z"));

    clock.set(t("02:00:00"));
    taskflow.runDueJobs();

    assertThat(fireTimes("berlin")).containsExactly(t("02:00:00"));
    assertInvalid(
        RecurringSchedule.cron("x", "0 25 * * *").job("report.build", "{}").build(),
        "cron",
        "out_of_range");
    assertInvalid(
        RecurringSchedule.cron("x", "* * * * * *").job("report.build", "{}").build(),
        "cron",
        "too_frequent");
  }

  @Test
  void every_bad_definition_names_its_field_and_rule() {
    assertInvalid(everyMinute("bad id!").build(), "id", "pattern");
    assertInvalid(everyMinute("x".repeat(51)).build(), "id", "pattern");
    assertInvalid(RecurringSchedule.every("x", Duration.ofMinutes(1)).build(), "job", "required");
    assertInvalid(
        RecurringSchedule.every("x", Duration.ofMinutes(1)).job("no.such.type", "{}").build(),
        "job/type",
        "unknown_type");
    assertInvalid(everyMinute("x").priority(500).build(), "job/priority", "range");
    assertInvalid(
        RecurringSchedule.every("x", Duration.ofMinutes(1))
            .job(
                new JobRequest(
                    "report.build", "{}", dev.taskflow.EnqueueOptions.defaults().uniqueKey("k")))
            .build(),
        "job/uniqueKey",
        "not_allowed");
    assertInvalid(
        RecurringSchedule.every("x", Duration.ofMinutes(1))
            .job(
                new JobRequest(
                    "report.build",
                    "{}",
                    dev.taskflow.EnqueueOptions.defaults().delay(Duration.ofSeconds(1))))
            .build(),
        "job/delay",
        "not_allowed");
    assertInvalid(everyMinute("x").runAllMissed(0).build(), "misfireLimit", "range");
    assertInvalid(everyMinute("x").runAllMissed(1001).build(), "misfireLimit", "range");
    assertInvalid(everyMinute("x").maxRuns(0).build(), "maxRuns", "range");
    assertInvalid(everyMinute("x").endAt(T0.minusSeconds(1)).build(), "endAt", "range");
    assertInvalid(
        RecurringSchedule.every("x", Duration.ZERO).job("report.build", "{}").build(),
        "every",
        "range");
    assertInvalid(
        new RecurringSchedule(
            "x",
            "* * * * *",
            Duration.ofMinutes(1),
            null,
            JobRequest.of("report.build", "{}"),
            null,
            100,
            null,
            false,
            null,
            null),
        "every",
        "exclusive");
    assertThat(recurring.all()).isEmpty();
  }

  private void assertInvalid(RecurringSchedule s, String field, String rule) {
    assertThatThrownBy(() -> recurring.put(s))
        .as("%s %s", field, rule)
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.rule()).isEqualTo(rule);
            });
  }
}
