package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.HistoryEntry;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobCancel;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobQuery;
import dev.taskflow.JobSnooze;
import dev.taskflow.JobState;
import dev.taskflow.Page;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlow;
import dev.taskflow.Worker;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine on a manual clock: every step is driven by the test, nothing sleeps. */
class ManualRunTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final AtomicInteger failCalls = new AtomicInteger();
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(storage)
          .clock(clock)
          .worker(TestJobs.Echo.class, (args, ctx) -> Map.of("echo", args.text()))
          .worker(TestJobs.Fail.class, new FailingWorker())
          .worker(
              "test.snooze",
              Map.class,
              (args, ctx) -> {
                if (ctx.job().history().stream().noneMatch(h -> "snoozed".equals(h.reason()))
                    && ctx.attempt() == 1
                    && failCalls.getAndIncrement() == 0) {
                  throw JobSnooze.after(Duration.ofMinutes(5));
                }
                return "woke";
              })
          .worker(
              "test.mimic",
              Map.class,
              (args, ctx) -> {
                List<String> refused = new ArrayList<>();
                for (String type : List.of("webhook.test", "batch.completed", "JOB.completed")) {
                  try {
                    ctx.emit(type, Map.of());
                  } catch (dev.taskflow.InvalidJobException e) {
                    refused.add(e.field() + " " + e.rule());
                  }
                }
                return refused;
              })
          .worker(
              "test.cancel",
              Map.class,
              (args, ctx) -> {
                throw JobCancel.because("not needed any more");
              })
          .build();

  private final class FailingWorker implements Worker<TestJobs.Fail> {
    @Override
    public Object run(TestJobs.Fail args, dev.taskflow.JobContext ctx) {
      failCalls.incrementAndGet();
      if (args.message().equals("fatal")) throw new IllegalArgumentException("fatal: bad input");
      throw new IllegalStateException(args.message());
    }

    @Override
    public RetryPolicy retryPolicy() {
      return RetryPolicy.exponential(Duration.ofSeconds(10), Duration.ofMinutes(10))
          .withNonRetryable(IllegalArgumentException.class);
    }

    @Override
    public int maxAttempts() {
      return 3;
    }
  }

  @AfterEach
  void close() {
    taskflow.close();
  }

  private Job reload(Job job) {
    return taskflow.get(job.id()).orElseThrow();
  }

  @Test
  void a_handler_cannot_emit_an_event_type_taskflow_reserves_in_any_case() {
    Job job = taskflow.enqueue(new dev.taskflow.JobRequest("test.mimic", "{}", null)).job();

    taskflow.runDueJobs();

    assertThat(reload(job).resultJson())
        .isEqualTo("[\"eventType reserved\",\"eventType reserved\",\"eventType reserved\"]");
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.ENQUEUED, JobEvent.STARTED, JobEvent.COMPLETED);
  }

  @Test
  void a_due_job_runs_on_the_calling_thread_and_stores_its_result() {
    Job job = taskflow.enqueue(new TestJobs.Echo("hi")).job();

    assertThat(taskflow.runDueJobs()).isEqualTo(1);

    Job done = reload(job);
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.resultJson()).isEqualTo("{\"echo\":\"hi\"}");
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.finishedAt()).isEqualTo(clock.instant());
    assertThat(done.history())
        .extracting(HistoryEntry::state)
        .containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.COMPLETED);
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.ENQUEUED, JobEvent.STARTED, JobEvent.COMPLETED);
  }

  @Test
  void a_failing_job_is_retried_with_backoff_then_fails_for_good_with_every_error_kept() {
    Job job = taskflow.enqueue(new TestJobs.Fail("boom")).job();

    taskflow.runDueJobs();
    Job afterFirst = reload(job);
    assertThat(afterFirst.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(afterFirst.attempt()).isEqualTo(1);
    // full jitter: the wait after attempt 1 lies in [0, base] from the store's now
    assertThat(afterFirst.scheduledAt())
        .isBetween(clock.instant(), clock.instant().plusSeconds(10));
    assertThat(taskflow.runDueJobs())
        .as("not due before its retry time unless the jitter was 0")
        .isLessThanOrEqualTo(afterFirst.scheduledAt().equals(clock.instant()) ? 1 : 0);

    clock.advance(Duration.ofMinutes(11));
    taskflow.runDueJobs();
    clock.advance(Duration.ofMinutes(11));
    taskflow.runDueJobs();

    Job failed = reload(job);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failCalls).hasValue(3);
    assertThat(failed.errors())
        .hasSize(3)
        .allSatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
              assertThat(e.message()).isEqualTo("boom");
              assertThat(e.stackTrace()).contains("FailingWorker.run");
            });
    assertThat(failed.errors()).extracting(e -> e.attempt()).containsExactly(1, 2, 3);
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .containsSubsequence(JobEvent.RETRYING, JobEvent.RETRYING, JobEvent.FAILED);
  }

  @Test
  void a_non_retryable_error_fails_the_job_on_its_first_attempt() {
    Job job = taskflow.enqueue(new TestJobs.Fail("fatal")).job();

    taskflow.runDueJobs();

    Job failed = reload(job);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("fatal: bad input"));
  }

  @Test
  void a_snoozed_job_waits_without_using_an_attempt() {
    Job job = taskflow.enqueue(new dev.taskflow.JobRequest("test.snooze", "{}", null)).job();

    taskflow.runDueJobs();
    Job snoozed = reload(job);
    assertThat(snoozed.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(snoozed.attempt()).isZero();
    assertThat(snoozed.scheduledAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));

    clock.advance(Duration.ofMinutes(5));
    taskflow.runDueJobs();
    Job done = reload(job);
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  void a_handler_that_throws_job_cancel_ends_the_job_cancelled_without_retry() {
    Job job = taskflow.enqueue(new dev.taskflow.JobRequest("test.cancel", "{}", null)).job();

    taskflow.runDueJobs();

    Job cancelled = reload(job);
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.history().getLast().reason()).contains("not needed any more");
  }

  @Test
  void a_delayed_job_runs_only_once_the_store_clock_reaches_its_time() {
    Job job =
        taskflow
            .enqueue(
                new TestJobs.Echo("later"), EnqueueOptions.defaults().delay(Duration.ofMinutes(5)))
            .job();
    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);

    clock.advance(Duration.ofMinutes(4));
    assertThat(taskflow.runDueJobs()).isZero();

    clock.advance(Duration.ofMinutes(1));
    assertThat(taskflow.runDueJobs()).isEqualTo(1);
    assertThat(reload(job).state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void a_server_without_workers_claims_nothing_even_for_types_it_accepts() {
    try (TaskFlow clientOnly =
        TaskFlow.builder().storage(storage).clock(clock).acceptTypes("py.embed").build()) {
      Job job = clientOnly.enqueue(new dev.taskflow.JobRequest("py.embed", "{}", null)).job();
      assertThat(clientOnly.runDueJobs()).isZero();
      assertThat(reload(job).state()).isEqualTo(JobState.ENQUEUED);
    }
  }

  @Test
  void higher_priority_runs_first_then_older_jobs() {
    List<String> order = new ArrayList<>();
    try (TaskFlow tf =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .worker(TestJobs.Echo.class, (a, ctx) -> order.add(a.text()))
            .build()) {
      tf.enqueue(new TestJobs.Echo("low"), EnqueueOptions.defaults().priority(-5));
      clock.advance(Duration.ofMillis(1));
      tf.enqueue(new TestJobs.Echo("normal-old"), EnqueueOptions.defaults());
      clock.advance(Duration.ofMillis(1));
      tf.enqueue(new TestJobs.Echo("normal-new"), EnqueueOptions.defaults());
      tf.enqueue(new TestJobs.Echo("urgent"), EnqueueOptions.defaults().priority(50));
      tf.runDueJobs();
    }
    assertThat(order).containsExactly("urgent", "normal-old", "normal-new", "low");
  }

  @Test
  void a_job_whose_worker_died_is_rescued_after_its_lease_and_the_rescue_counts_as_an_attempt() {
    Job job =
        taskflow
            .enqueue(new TestJobs.Echo("orphan"), EnqueueOptions.defaults().maxAttempts(2))
            .job();
    // a worker on another (now dead) server claims it and never reports back
    storage.jobClaim(
        new JobClaimParams(
            "default", 10, "dead-server", Duration.ofSeconds(30), Set.of(), Map.of()));

    assertThat(taskflow.runDueJobs()).as("its lease has not expired yet").isZero();
    clock.advance(Duration.ofSeconds(31));
    assertThat(taskflow.runDueJobs()).isEqualTo(1);

    Job done = reload(job);
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("lease_expired"));
  }

  @Test
  void a_job_that_kills_its_worker_every_time_ends_failed_not_in_a_loop() {
    Job job =
        taskflow
            .enqueue(new TestJobs.Echo("poison"), EnqueueOptions.defaults().maxAttempts(3))
            .job();
    for (int i = 0; i < 3; i++) {
      assertThat(
              storage.jobClaim(
                  new JobClaimParams(
                      "default", 10, "crashing-" + i, Duration.ofSeconds(30), Set.of(), Map.of())))
          .hasSize(1);
      clock.advance(Duration.ofSeconds(31));
      storage.jobRescueExpired(new dev.taskflow.spi.JobRescueParams("rescuer", 100));
    }
    Job failed = reload(job);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(taskflow.runDueJobs()).isZero();
  }

  @Test
  void a_unique_key_returns_the_live_job_instead_of_a_second_one() {
    EnqueueOptions opts = EnqueueOptions.defaults().uniqueKey("report-2026-01");
    EnqueueResult first = taskflow.enqueue(new TestJobs.Echo("a"), opts);
    EnqueueResult second = taskflow.enqueue(new TestJobs.Echo("b"), opts);

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(second.job().id()).isEqualTo(first.job().id());
    assertThat(taskflow.cluster().stateCounts().get(JobState.ENQUEUED)).isEqualTo(1);
  }

  @Test
  void cancel_retry_and_delete_follow_the_state_machine() {
    Job job = taskflow.enqueue(new TestJobs.Echo("x")).job();
    assertThat(taskflow.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> taskflow.cancel(job.id()))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining(job.id().toString())
        .hasMessageContaining("cancelled");
    assertThat(taskflow.retry(job.id()).state()).isEqualTo(JobState.ENQUEUED);
    taskflow.runDueJobs();
    assertThat(reload(job).state()).isEqualTo(JobState.COMPLETED);
    assertThatThrownBy(() -> taskflow.retry(job.id()))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(taskflow.delete(job.id()).state()).isEqualTo(JobState.DELETED);
    UUID unknown = UUID.randomUUID();
    assertThatThrownBy(() -> taskflow.cancel(unknown))
        .isInstanceOf(JobNotFoundException.class)
        .hasMessageContaining(unknown.toString());
  }

  @Test
  void a_manual_retry_of_a_failed_job_allows_one_more_attempt_and_keeps_the_history() {
    Job job = taskflow.enqueue(new TestJobs.Fail("fatal")).job();
    taskflow.runDueJobs();
    assertThat(reload(job).state()).isEqualTo(JobState.FAILED);

    Job retried = taskflow.retry(job.id());
    assertThat(retried.maxAttempts()).isGreaterThanOrEqualTo(2);
    taskflow.runDueJobs();

    Job again = reload(job);
    assertThat(again.state()).isEqualTo(JobState.FAILED);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.history())
        .extracting(HistoryEntry::state)
        .containsSubsequence(
            JobState.PROCESSING,
            JobState.FAILED,
            JobState.ENQUEUED,
            JobState.PROCESSING,
            JobState.FAILED);
  }

  @Test
  void listing_pages_through_every_job_exactly_once_newest_first() {
    Set<UUID> enqueued = new HashSet<>();
    for (int i = 0; i < 23; i++) {
      enqueued.add(taskflow.enqueue(new TestJobs.Echo("j" + i)).id());
      clock.advance(Duration.ofMillis(1));
    }
    List<UUID> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<Job> page = taskflow.list(JobQuery.all().limit(10).cursor(cursor));
      page.items().forEach(j -> seen.add(j.id()));
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(enqueued);
    assertThat(seen).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void progress_is_persisted_and_its_events_are_kept_in_the_job_log() {
    try (TaskFlow tf =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .progressWriteInterval(Duration.ZERO)
            .worker(
                "test.steps",
                Map.class,
                (args, ctx) -> {
                  ctx.progress(50, "half");
                  ctx.log("halfway there");
                  ctx.emit("test.step_done", Map.of("step", 1));
                  ctx.progress(100, "done");
                  return null;
                })
            .build()) {
      Job job = tf.enqueue(new dev.taskflow.JobRequest("test.steps", "{}", null)).job();
      tf.runDueJobs();

      Job done = tf.get(job.id()).orElseThrow();
      assertThat(done.progress().percent()).isEqualTo(100);
      assertThat(done.progress().message()).isEqualTo("done");
      assertThat(tf.events(job.id(), null, 100))
          .extracting(JobEvent::type)
          .containsExactly(
              JobEvent.ENQUEUED,
              JobEvent.STARTED,
              JobEvent.PROGRESS,
              JobEvent.LOG,
              "test.step_done",
              JobEvent.PROGRESS,
              JobEvent.COMPLETED);
    }
  }
}
