package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.HistoryEntry;
import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobContext;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.QueueFullException;
import dev.taskflow.QueueInfo;
import dev.taskflow.RetryPriority;
import dev.taskflow.TaskFlow;
import dev.taskflow.Worker;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Job controls through the Java API on a manual clock: backpressure, retry priority, queue
 * position, uniqueness for a period and start deadlines. Nothing sleeps.
 */
class JobControlsManualTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final AtomicInteger echoRuns = new AtomicInteger();
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(storage)
          .clock(clock)
          .retryPriority(RetryPriority.lowerBy(10))
          .worker(
              TestJobs.Echo.class,
              (args, ctx) -> {
                echoRuns.incrementAndGet();
                return args.text();
              })
          .worker(TestJobs.Fail.class, (args, ctx) -> fail(args.message()))
          .worker(TestJobs.Block.class, new SinkingWorker())
          .build();

  /** A worker whose retries go to the bottom of the queue. */
  private static final class SinkingWorker implements Worker<TestJobs.Block> {
    @Override
    public Object run(TestJobs.Block args, JobContext ctx) {
      throw new IllegalStateException("downstream refused " + args.name());
    }

    @Override
    public RetryPriority retryPriority() {
      return RetryPriority.fixed(-100);
    }
  }

  private static Object fail(String message) {
    throw new IllegalStateException(message);
  }

  @AfterEach
  void close() {
    taskflow.close();
  }

  private QueueInfo queue(String name) {
    return taskflow.queues().list().stream()
        .filter(q -> q.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  // ------------------------------------------------------------------ backpressure

  @Test
  void an_enqueue_past_the_queue_max_depth_throws_a_queue_full_exception_naming_the_numbers() {
    taskflow.queues().setMaxDepth("default", 2);
    taskflow.enqueue(new TestJobs.Echo("a"));
    taskflow.enqueue(new TestJobs.Echo("b"), EnqueueOptions.defaults().delay(Duration.ofHours(1)));

    assertThatThrownBy(() -> taskflow.enqueue(new TestJobs.Echo("c")))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.queue()).isEqualTo("default");
              assertThat(e.depth()).isEqualTo(2);
              assertThat(e.maxDepth()).isEqualTo(2);
              assertThat(e.retryAfter()).isEqualTo(QueueFullException.DEFAULT_RETRY_AFTER);
              assertThat(e.getMessage()).contains("'default'", "2 waiting", "max depth 2");
            });
    assertThat(queue("default").maxDepth()).isEqualTo(2);
    assertThat(queue("default").depth()).isEqualTo(2);
  }

  @Test
  void an_enqueue_all_batch_past_the_max_depth_writes_none_of_its_jobs() {
    taskflow.queues().setMaxDepth("small", 2);
    taskflow.enqueue(new TestJobs.Echo("a"), EnqueueOptions.defaults().queue("small"));
    String args = "{\"text\":\"x\"}";
    EnqueueOptions small = EnqueueOptions.defaults().queue("small");

    assertThatThrownBy(
            () ->
                taskflow.enqueueAll(
                    List.of(
                        new JobRequest("test.echo", args, EnqueueOptions.defaults()),
                        new JobRequest("test.echo", args, small),
                        new JobRequest("test.echo", args, small))))
        .isInstanceOf(QueueFullException.class);

    assertThat(taskflow.cluster().stateCounts().get(JobState.ENQUEUED)).isEqualTo(1);
    taskflow.queues().setMaxDepth("small", null);
    assertThat(
            taskflow.enqueueAll(
                List.of(
                    new JobRequest("test.echo", args, small),
                    new JobRequest("test.echo", args, small))))
        .hasSize(2);
  }

  @Test
  void a_negative_or_huge_max_depth_is_refused_naming_the_field() {
    assertThatThrownBy(() -> taskflow.queues().setMaxDepth("default", -1))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo("maxDepth");
              assertThat(e.rule()).isEqualTo("range");
              assertThat(e.getMessage()).contains("'default'", "-1");
            });
    assertThatThrownBy(() -> taskflow.queues().setMaxDepth("bad queue!", 5))
        .isInstanceOf(InvalidJobException.class);
  }

  // ------------------------------------------------------------------ retry priority

  @Test
  void a_retry_gets_the_server_retry_priority_so_fresh_work_runs_first() {
    Job failing =
        taskflow.enqueue(new TestJobs.Fail("boom"), EnqueueOptions.defaults().priority(5)).job();
    taskflow.runDueJobs();
    Job retrying = taskflow.get(failing.id()).orElseThrow();
    assertThat(retrying.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(retrying.priority()).isEqualTo(-5);

    clock.advance(Duration.ofDays(1));
    taskflow.runDueJobs();
    assertThat(taskflow.get(failing.id()).orElseThrow().priority()).isEqualTo(-15);
  }

  @Test
  void a_worker_retry_priority_overrides_the_server_default() {
    Job blocked = taskflow.enqueue(new TestJobs.Block("x")).job();
    taskflow.runDueJobs();
    clock.advance(Duration.ofDays(1));
    Job fresh =
        taskflow.enqueue(new TestJobs.Echo("fresh"), EnqueueOptions.defaults().priority(-99)).job();
    storage.jobPromoteDue(new JobPromoteParams("test", 100)); // promoted, not run

    assertThat(taskflow.get(blocked.id()).orElseThrow().priority()).isEqualTo(-100);
    assertThat(taskflow.queues().position(fresh.id())).hasValue(0);
    assertThat(taskflow.queues().position(blocked.id())).hasValue(1);
  }

  // ------------------------------------------------------------------ queue position

  @Test
  void an_enqueued_job_shows_how_many_run_before_it() {
    Job low =
        taskflow.enqueue(new TestJobs.Echo("low"), EnqueueOptions.defaults().priority(-1)).job();
    Job first = taskflow.enqueue(new TestJobs.Echo("first")).job();
    Job high =
        taskflow.enqueue(new TestJobs.Echo("high"), EnqueueOptions.defaults().priority(9)).job();

    assertThat(taskflow.queues().position(high.id())).hasValue(0);
    assertThat(taskflow.queues().position(first.id())).hasValue(1);
    assertThat(taskflow.queues().position(low.id())).hasValue(2);
    taskflow.runDueJobs();
    assertThat(taskflow.queues().position(low.id())).isEmpty();
  }

  // ------------------------------------------------------------------ uniqueness for a period

  @Test
  void a_unique_key_held_for_a_period_turns_a_later_enqueue_into_a_duplicate_after_completion() {
    EnqueueOptions daily =
        EnqueueOptions.defaults().uniqueKey("report:2026-01-01").uniqueFor(Duration.ofHours(24));
    EnqueueResult first = taskflow.enqueue(new TestJobs.Echo("report"), daily);
    taskflow.runDueJobs();
    clock.advance(Duration.ofHours(23));

    EnqueueResult again = taskflow.enqueue(new TestJobs.Echo("report"), daily);

    assertThat(again.duplicate()).isTrue();
    assertThat(again.job().id()).isEqualTo(first.job().id());
    assertThat(again.job().state()).isEqualTo(JobState.COMPLETED);
    clock.advance(Duration.ofHours(1));
    assertThat(taskflow.enqueue(new TestJobs.Echo("report"), daily).duplicate()).isFalse();
  }

  // ------------------------------------------------------------------ start deadline

  @Test
  void a_job_not_started_by_its_deadline_is_cancelled_as_expired_and_never_runs() {
    taskflow.queues().pause("default");
    Job job =
        taskflow
            .enqueue(
                new TestJobs.Echo("late"),
                EnqueueOptions.defaults().startWithin(Duration.ofMinutes(5)))
            .job();
    assertThat(job.flow().startBy()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(5));
    taskflow.queues().resume("default");

    taskflow.runDueJobs();

    Job after = taskflow.get(job.id()).orElseThrow();
    assertThat(echoRuns).hasValue(0);
    assertThat(after.state()).isEqualTo(JobState.CANCELLED);
    HistoryEntry last = after.history().getLast();
    assertThat(last.reason()).isEqualTo("expired");
    assertThat(taskflow.events(job.id(), null, 100))
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.ENQUEUED, JobEvent.CANCELLED);
  }

  @Test
  void a_job_that_starts_before_its_deadline_runs_normally() {
    Job job =
        taskflow
            .enqueue(
                new TestJobs.Echo("on time"),
                EnqueueOptions.defaults().startBy(clock.instant().plusSeconds(60)))
            .job();
    clock.advance(Duration.ofSeconds(59));

    taskflow.runDueJobs();

    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    assertThat(echoRuns).hasValue(1);
  }
}
