package dev.taskflow.web;

import dev.taskflow.EventFilter;
import dev.taskflow.JobEvent;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlowClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Completed and failed jobs per second over a recent window, counted in memory from live events (so
 * it starts at zero when the process starts and costs the store nothing). One ring of one-second
 * buckets; a bucket is reset when its second comes round again.
 *
 * {@snippet :
 * try (ThroughputTracker t = ThroughputTracker.start(client, Duration.ofMinutes(5))) {
 *   List<ThroughputTracker.Point> lastFiveMinutes = t.snapshot();
 * }
 * }
 */
public final class ThroughputTracker implements AutoCloseable {
  /** One second: how many jobs completed and failed (for good) in it. */
  public record Point(Instant time, long completed, long failed) {}

  private final Clock clock;
  private final int seconds;
  private final long[] second;
  private final long[] completed;
  private final long[] failed;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Subscription subscription;

  /** A tracker that counts only what is given to {@link #record(JobEvent)}. */
  public ThroughputTracker(Duration window, Clock clock) {
    if (window == null || window.toSeconds() < 1) {
      throw new IllegalArgumentException("throughput window must be >= 1 s, was " + window);
    }
    this.clock = clock;
    this.seconds = Math.toIntExact(window.toSeconds());
    this.second = new long[seconds];
    this.completed = new long[seconds];
    this.failed = new long[seconds];
    java.util.Arrays.fill(second, Long.MIN_VALUE);
  }

  /** Starts counting the live {@code job.completed} and {@code job.failed} events of a client. */
  public static ThroughputTracker start(TaskFlowClient client, Duration window) {
    return start(client, window, Clock.systemUTC());
  }

  public static ThroughputTracker start(TaskFlowClient client, Duration window, Clock clock) {
    ThroughputTracker t = new ThroughputTracker(window, clock);
    EventFilter filter =
        new EventFilter(null, Set.of(JobEvent.COMPLETED, JobEvent.FAILED), null, null, null);
    t.subscription = client.subscribe(filter, null, t::record);
    return t;
  }

  /** Counts one event in the current second (by this tracker's clock); other types are ignored. */
  public void record(JobEvent e) {
    boolean done = e.type().equals(JobEvent.COMPLETED);
    if (!done && !e.type().equals(JobEvent.FAILED)) return;
    long now = clock.instant().getEpochSecond();
    int i = slot(now);
    lock.lock();
    try {
      if (second[i] != now) {
        second[i] = now;
        completed[i] = 0;
        failed[i] = 0;
      }
      if (done) completed[i]++;
      else failed[i]++;
    } finally {
      lock.unlock();
    }
  }

  /** Every second of the window, oldest first, ending with the current one; quiet seconds are 0. */
  public List<Point> snapshot() {
    long now = clock.instant().getEpochSecond();
    List<Point> out = new ArrayList<>(seconds);
    lock.lock();
    try {
      for (long s = now - seconds + 1; s <= now; s++) {
        int i = slot(s);
        boolean current = second[i] == s;
        out.add(
            new Point(
                Instant.ofEpochSecond(s), current ? completed[i] : 0, current ? failed[i] : 0));
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  private int slot(long epochSecond) {
    return (int) Math.floorMod(epochSecond, (long) seconds);
  }

  /** Stops counting (closes the event subscription, if any). */
  @Override
  public void close() {
    Subscription s = subscription;
    if (s != null) {
      subscription = null;
      s.close();
    }
  }
}
