package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobListenerTest {
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
  }

  @Test
  void a_throwing_listener_and_a_blocked_one_slow_neither_the_engine_nor_other_listeners() {
    AtomicInteger thrown = new AtomicInteger();
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
            try {
              unblock.await(); // never released during the test
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
        };
    Recorder healthy = new Recorder();
    taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage())
            .pollInterval(Duration.ofMillis(50))
            .listener(throwing)
            .listener(blocked)
            .listener(healthy)
            .queue("default", q -> q.concurrency(20))
            .worker(TestJobs.Echo.class, (a, ctx) -> a.text())
            .build()
            .start();

    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 500; i++) jobs.add(taskflow.enqueue(new TestJobs.Echo("n" + i)));

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> taskflow.stateCounts().get(JobState.COMPLETED) == 500);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> healthy.heard.stream().filter("completed"::equals).count() == 500);
    await().atMost(10, TimeUnit.SECONDS).until(() -> thrown.get() == 500);
  }
}
