package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.ResourceInfo;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit of a shared resource against a simulated model server whose latency depends on
 * how many requests it gets at once: it serves {@code capacity} requests in parallel, each for a
 * fixed service time, and queues the rest. When its capacity drops, latency climbs and the limit
 * must fall; when it comes back, the limit must climb again. Waits use Awaitility.
 */
class AdaptiveConcurrencyTest {
  private static final long SERVICE_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

  /** A fake downstream: at most {@code capacity} requests served at once, the rest wait. */
  static final class FakeModelServer {
    private final Semaphore slots = new Semaphore(64, true);
    private int capacity = 64;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peakInFlight = new AtomicInteger();

    void embed() throws InterruptedException {
      int now = inFlight.incrementAndGet();
      peakInFlight.accumulateAndGet(now, Math::max);
      try {
        slots.acquire();
        try {
          LockSupport.parkNanos(SERVICE_NANOS); // the model's own work, not a wait for the test
        } finally {
          slots.release();
        }
      } finally {
        inFlight.decrementAndGet();
      }
    }

    /** Changes how many requests it serves at once (callers hold no slot). */
    synchronized void capacity(int c) throws InterruptedException {
      if (c < capacity) slots.acquire(capacity - c);
      else slots.release(c - capacity);
      capacity = c;
    }
  }

  private final FakeModelServer model = new FakeModelServer();
  private final InMemoryStorage storage = new InMemoryStorage();
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(storage)
          .pollInterval(Duration.ofMillis(20))
          .queue("default", q -> q.concurrency(16))
          .resource(
              "model-server",
              r -> r.min(1).max(16).initial(8).window(10).backoff(0.5).tolerance(2.0))
          .typeResource("test.echo", "model-server")
          .worker(
              TestJobs.Echo.class,
              (args, ctx) -> {
                model.embed();
                return null;
              })
          .build();

  @AfterEach
  void close() {
    taskflow.close();
  }

  private ResourceInfo resource() {
    return taskflow.queues().resources().getFirst();
  }

  /** Keeps a backlog, so the limit (not the lack of work) bounds what runs. */
  private void topUp() {
    long waiting = taskflow.cluster().stateCounts().getOrDefault(JobState.ENQUEUED, 0L);
    if (waiting >= 40) return;
    List<JobRequest> more = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      more.add(new JobRequest("test.echo", "{\"text\":\"x\"}", EnqueueOptions.defaults()));
    }
    taskflow.enqueueAll(more);
  }

  @Test
  void the_limit_falls_when_the_downstream_slows_under_load_and_recovers_when_it_heals()
      throws InterruptedException {
    assertThat(resource().name()).isEqualTo("model-server");
    assertThat(resource().types()).containsExactly("test.echo");
    assertThat(resource().limit()).isEqualTo(8);
    taskflow.start();

    // Healthy: the baseline is learned, and the limit climbs since the limit bounds the work.
    underLoadUntil(
        Duration.ofSeconds(30), () -> resource().baseline() != null && resource().limit() >= 10);

    // The model server degrades to one request at a time: latency grows with every request
    // queued behind it, so the limit must come down near its capacity.
    model.capacity(1);
    underLoadUntil(Duration.ofSeconds(30), () -> resource().limit() <= 3);
    assertThat(resource().decreases()).isPositive();
    assertThat(resource().latency()).isNotNull();

    // It heals: latency is back at the baseline and the limit climbs again.
    long increasesBefore = resource().increases();
    model.capacity(64);
    underLoadUntil(Duration.ofSeconds(60), () -> resource().limit() >= 8);
    assertThat(resource().increases()).isGreaterThan(increasesBefore);
    assertThat(model.peakInFlight.get())
        .as("never more requests in flight than the highest limit allows")
        .isLessThanOrEqualTo(16);
  }

  /** Keeps the queue topped up until {@code done} holds, for at most {@code atMost}. */
  private void underLoadUntil(Duration atMost, BooleanSupplier done) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              topUp();
              return done.getAsBoolean();
            });
  }

  @Test
  void a_resource_shows_its_limit_and_nothing_in_flight_before_start() {
    ResourceInfo r = resource();

    assertThat(r.limit()).isEqualTo(8);
    assertThat(r.min()).isEqualTo(1);
    assertThat(r.max()).isEqualTo(16);
    assertThat(r.inFlight()).isZero();
    assertThat(r.latency()).isNull();
    assertThat(r.baseline()).isNull();
  }
}
