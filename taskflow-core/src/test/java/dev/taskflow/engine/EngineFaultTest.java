package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobContext;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Worker;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults around the engine: each test pins a bug found in review so it stays fixed. */
class EngineFaultTest {
  private final List<TaskFlow> toClose = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeAll() {
    release.countDown();
    toClose.forEach(tf -> tf.stop(Duration.ofSeconds(2)));
  }

  private TaskFlow started(TaskFlowBuilder b) {
    TaskFlow tf =
        b.pollInterval(Duration.ofMillis(50)).eventPollInterval(Duration.ofMillis(50)).build();
    toClose.add(tf);
    return tf.start();
  }

  private static JobState state(TaskFlow tf, Job job) {
    return tf.get(job.id()).orElseThrow().state();
  }

  @Test
  void a_store_error_while_saving_the_last_progress_does_not_fail_a_finished_job() {
    FlakyStorage flaky = new FlakyStorage(new InMemoryStorage());
    flaky.fault =
        op -> op.equals("jobProgress") ? new StorageException("progress write refused") : null;
    TaskFlow tf =
        started(
            TaskFlow.builder()
                .storage(flaky)
                .progressWriteInterval(Duration.ofHours(1))
                .worker(
                    TestJobs.Echo.class,
                    (a, ctx) -> {
                      ctx.progress(50, "half");
                      return "done";
                    }));
    Job job =
        tf.enqueue(new TestJobs.Echo("x"), dev.taskflow.EnqueueOptions.defaults().maxAttempts(1))
            .job();

    await().atMost(5, TimeUnit.SECONDS).until(() -> state(tf, job).isFinished());
    assertThat(state(tf, job)).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void a_worker_with_an_absurd_timeout_still_completes_and_frees_its_slot() {
    Worker<TestJobs.Echo> forever =
        new Worker<>() {
          @Override
          public Object run(TestJobs.Echo args, JobContext ctx) {
            return args.text();
          }

          @Override
          public Duration timeout() {
            return Duration.ofSeconds(Long.MAX_VALUE);
          }
        };
    TaskFlow tf =
        started(
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .queue("default", q -> q.concurrency(1))
                .worker(TestJobs.Echo.class, forever));
    Job first = tf.enqueue(new TestJobs.Echo("a")).job();
    Job second = tf.enqueue(new TestJobs.Echo("b")).job();

    await().atMost(5, TimeUnit.SECONDS).until(() -> state(tf, second) == JobState.COMPLETED);
    assertThat(state(tf, first)).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void an_unexpected_error_while_writing_outcomes_is_retried_without_waiting_for_another_job() {
    FlakyStorage flaky = new FlakyStorage(new InMemoryStorage());
    AtomicInteger failures = new AtomicInteger();
    flaky.fault =
        op ->
            op.equals("jobFinishMany") && failures.getAndIncrement() == 0
                ? new IllegalStateException("driver bug")
                : null;
    TaskFlow tf =
        started(TaskFlow.builder().storage(flaky).worker(TestJobs.Echo.class, (a, ctx) -> "ok"));
    Job job = tf.enqueue(new TestJobs.Echo("only one")).job();

    await().atMost(10, TimeUnit.SECONDS).until(() -> state(tf, job) == JobState.COMPLETED);
    assertThat(failures).hasValueGreaterThanOrEqualTo(2);
  }

  @Test
  void a_type_cap_holds_across_queues_that_claim_at_the_same_time() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    TaskFlow tf =
        started(
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .queue("a", q -> q.concurrency(4))
                .queue("b", q -> q.concurrency(4))
                .queue("c", q -> q.concurrency(4))
                .typeConcurrency("test.block", 1)
                .worker(
                    TestJobs.Block.class,
                    (a, ctx) -> {
                      max.accumulateAndGet(running.incrementAndGet(), Math::max);
                      try {
                        release.await();
                      } finally {
                        running.decrementAndGet();
                      }
                      return null;
                    }));
    // scheduled jobs that become due together: the promoter wakes all three fetchers at once
    for (String q : List.of("a", "b", "c")) {
      for (int i = 0; i < 3; i++) {
        tf.enqueue(
            new TestJobs.Block(q + i),
            dev.taskflow.EnqueueOptions.defaults().queue(q).delay(Duration.ofMillis(300)));
      }
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 1);
    await()
        .during(500, TimeUnit.MILLISECONDS)
        .atMost(2, TimeUnit.SECONDS)
        .until(() -> running.get() <= 1);
    release.countDown();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> tf.cluster().stateCounts().get(JobState.COMPLETED) == 9);
    assertThat(max).hasValue(1);
  }

  @Test
  void a_subscriber_resuming_ahead_of_the_reader_gets_no_event_twice() {
    InMemoryStorage storage = new InMemoryStorage();
    TaskFlow tf =
        started(TaskFlow.builder().storage(storage).worker(TestJobs.Echo.class, (a, ctx) -> "ok"));
    for (int round = 0; round < 20; round++) {
      Job job = tf.enqueue(new TestJobs.Echo("r" + round)).job();
      // the newest persisted event, possibly not yet read by the bus
      String newest =
          storage
              .eventsSince(new dev.taskflow.spi.EventsSinceParams(0, null, 100_000))
              .getLast()
              .id();
      List<JobEvent> got = Collections.synchronizedList(new ArrayList<>());
      try (var s = tf.subscribe(EventFilter.ALL, newest, got::add)) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> state(tf, job) == JobState.COMPLETED);
        tf.enqueue(new TestJobs.Echo("marker" + round));
        await()
            .atMost(5, TimeUnit.SECONDS)
            .until(() -> got.stream().anyMatch(e -> e.type().equals(JobEvent.ENQUEUED)));
        assertThat(got)
            .allSatisfy(e -> assertThat(e.seq()).isGreaterThanOrEqualTo(JobEvent.parseSeq(newest)));
        assertThat(got.stream().filter(e -> !e.id().contains(".")).map(JobEvent::id))
            .doesNotHaveDuplicates()
            .noneMatch(id -> id.equals(newest));
      }
    }
  }

  @Test
  void a_listener_throwing_an_error_does_not_stop_delivery_or_cancellation() {
    TaskFlow tf =
        started(
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .worker(
                    TestJobs.Block.class,
                    (a, ctx) -> {
                      release.await();
                      return null;
                    }));
    tf.subscribe(
        EventFilter.ALL,
        null,
        e -> {
          throw new AssertionError("a test listener's failed assertion");
        });
    Job job = tf.enqueue(new TestJobs.Block("cancel me")).job();
    await().until(() -> state(tf, job) == JobState.PROCESSING);

    tf.cancel(job.id());

    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> tf.cluster().stateCounts().get(JobState.PROCESSING) == 0);
    assertThat(state(tf, job)).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void shutdown_while_the_store_is_down_ends_in_bounded_time() {
    FlakyStorage flaky = new FlakyStorage(new InMemoryStorage());
    TaskFlow tf =
        TaskFlow.builder()
            .storage(flaky)
            .pollInterval(Duration.ofMillis(50))
            .worker(
                TestJobs.Block.class,
                (a, ctx) -> {
                  release.await();
                  return null;
                })
            .build()
            .start();
    Job job = tf.enqueue(new TestJobs.Block("stuck")).job();
    await().until(() -> state(tf, job) == JobState.PROCESSING);
    flaky.down = true;
    release.countDown();

    Thread stopping = Thread.ofPlatform().start(() -> tf.stop(Duration.ofSeconds(1)));
    // the outcome cannot be written; shutdown gives up after its flush deadline (10 s), not never
    await().atMost(40, TimeUnit.SECONDS).until(() -> !stopping.isAlive());
  }
}
