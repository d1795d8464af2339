package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobContext;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Worker;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JobListenerTest {
  /** Where the engine logs a listener's exceptions (the dispatcher class is package-private). */
  private static final String DISPATCHER_LOGGER = "dev.taskflow.internal.engine.ListenerDispatcher";

  private final CountDownLatch unblock = new CountDownLatch(1);
  private TaskFlow taskflow;

  @AfterEach
  void close() {
    unblock.countDown();
    if (taskflow != null) taskflow.stop(Duration.ofSeconds(2));
  }

  /** Records the kinds it hears, in order. */
  private static final class Recorder implements JobListener {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void onStarted(JobEvent e) {
      heard.add("started");
    }

    @Override
    public void onProgress(JobEvent e) {
      heard.add("progress");
    }

    @Override
    public void onCompleted(JobEvent e) {
      heard.add("completed");
    }

    @Override
    public void onRetrying(JobEvent e) {
      heard.add("retrying");
    }

    @Override
    public void onFailed(JobEvent e) {
      heard.add("failed");
    }

    @Override
    public void onCancelled(JobEvent e) {
      heard.add("cancelled");
    }

    @Override
    public void onCustom(JobEvent e) {
      heard.add("custom:" + e.type());
    }
  }

  @Test
  void each_kind_of_event_reaches_its_method_in_order() {
    Recorder recorder = new Recorder();
    taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage())
            .pollInterval(Duration.ofMillis(50))
            .listener(recorder)
            .worker(
                "test.steps",
                Map.class,
                (a, ctx) -> {
                  ctx.progress(50, "half");
                  ctx.emit("test.milestone", Map.of("at", 50));
                  return null;
                })
            .worker(
                TestJobs.Fail.class,
                (a, ctx) -> {
                  throw new IllegalStateException(a.message());
                })
            .worker("test.fail-then-hang", Map.class, new FailThenHang())
            .build()
            .start();

    taskflow.enqueue(new JobRequest("test.steps", "{}", null));
    await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.heard.contains("completed"));
    assertThat(recorder.heard)
        .containsExactly("started", "progress", "custom:test.milestone", "completed");

    recorder.heard.clear();
    taskflow.enqueue(new TestJobs.Fail("nope"), EnqueueOptions.defaults().maxAttempts(1));
    await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.heard.contains("failed"));
    assertThat(recorder.heard).containsExactly("started", "failed");

    recorder.heard.clear();
    UUID hanging = taskflow.enqueue(new JobRequest("test.fail-then-hang", "{}", null)).job().id();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> recorder.heard.stream().filter("started"::equals).count() == 2);
    taskflow.cancel(hanging);
    await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.heard.contains("cancelled"));
    assertThat(recorder.heard).containsExactly("started", "retrying", "started", "cancelled");
  }

  /** Fails its first attempt (retried within milliseconds), then runs until cancelled. */
  private static final class FailThenHang implements Worker<Map> {
    @Override
    public Object run(Map args, JobContext ctx) throws Exception {
      if (ctx.attempt() == 1) throw new IllegalStateException("first attempt fails");
      new CountDownLatch(1).await(); // a cancel interrupts it
      return null;
    }

    @Override
    public RetryPolicy retryPolicy() {
      return RetryPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(10));
    }
  }

  /** An in-memory engine running echo jobs, with these listeners. */
  private static TaskFlow echoEngine(JobListener... listeners) {
    TaskFlowBuilder b =
        TaskFlow.builder()
            .storage(new InMemoryStorage())
            .pollInterval(Duration.ofMillis(50))
            .queue("default", q -> q.concurrency(20))
            .worker(TestJobs.Echo.class, (a, ctx) -> a.text());
    for (JobListener l : listeners) b.listener(l);
    return b.build().start();
  }

  /** Enqueues {@code n} echo jobs and waits until all completed. */
  private static void runEchoJobs(TaskFlow engine, int n) {
    for (int i = 0; i < n; i++) engine.enqueue(new TestJobs.Echo("n" + i));
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> engine.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L) == n);
  }

  @Test
  void a_throwing_listener_and_a_blocked_one_slow_neither_the_engine_nor_other_listeners() {
    int n = 1_000;

    AtomicInteger thrown = new AtomicInteger();
    AtomicInteger blockedIn = new AtomicInteger();
    JobListener throwing =
        new JobListener() {
          @Override
          public void onCompleted(JobEvent e) {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener bug");
          }
        };
    JobListener blocked =
        new JobListener() {
          @Override
          public void onEvent(JobEvent e) {
            blockedIn.incrementAndGet();
            try {
              unblock.await(); // never released during the test
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
        };
    List<String> healthy = new CopyOnWriteArrayList<>();
    JobListener wellBehaved =
        new JobListener() {
          @Override
          public void onEvent(JobEvent e) {
            healthy.add(e.id());
          }
        };
    Logger dispatcherLog = (Logger) LoggerFactory.getLogger(DISPATCHER_LOGGER);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    dispatcherLog.addAppender(logged);
    dispatcherLog.setAdditive(false); // a thousand stack traces would drown the build output
    try {
      taskflow = echoEngine(throwing, blocked, wellBehaved);
      runEchoJobs(taskflow, n);

      // Every job completed while the blocked listener still sat in its first call (its latch is
      // only released after the test): the engine never waited for it. How close the throughput
      // comes to a run without listeners is a benchmark figure (drain_100k_bad_listeners in
      // docs/benchmarks.md), not a timed assertion here.
      assertThat(unblock.getCount()).isOne();
      assertThat(blockedIn.get()).as("the blocked listener is still in its first event").isOne();
      List<JobEvent> all = taskflow.events(null, null, 10_000);
      assertThat(all).hasSize(3 * n); // enqueued, started, completed
      await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(
              () ->
                  assertThat(healthy)
                      .containsExactlyElementsOf(all.stream().map(JobEvent::id).toList()));
      await().atMost(10, TimeUnit.SECONDS).until(() -> thrown.get() == n);
      String aJob = all.getFirst().jobId().toString();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(
              () ->
                  assertThat(List.copyOf(logged.list))
                      .anySatisfy(
                          line -> {
                            assertThat(line.getLevel()).isEqualTo(Level.WARN);
                            assertThat(line.getFormattedMessage())
                                .contains("job.completed")
                                .contains("of job " + aJob);
                            assertThat(line.getThrowableProxy().getMessage())
                                .isEqualTo("listener bug");
                          }));
    } finally {
      dispatcherLog.detachAppender(logged);
      dispatcherLog.setAdditive(true);
    }
  }
}
