package dev.taskflow.internal.engine;

import dev.taskflow.spi.JobLease;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Attempts that ended here lately, remembered for a minute and at most {@link #MAX} of them. Adding
 * is O(1): the oldest entries are evicted from the head of an insertion-ordered queue, never by
 * scanning (a scan per finished job made the drain quadratic).
 */
final class RecentAttempts {
  static final int MAX = 10_000;
  private static final long KEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private record Entry(JobLease lease, long at) {}

  private final Map<JobLease, Long> byLease = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  void add(JobLease lease) {
    long now = System.nanoTime();
    byLease.put(lease, now);
    order.add(new Entry(lease, now));
    size.incrementAndGet();
    evict(now);
  }

  boolean contains(JobLease lease) {
    Long at = byLease.get(lease);
    return at != null && System.nanoTime() - at <= KEEP_NANOS;
  }

  /** Drops entries older than a minute, and the oldest beyond {@link #MAX}. */
  void evict(long now) {
    Entry head;
    while ((head = order.peek()) != null && (size.get() > MAX || now - head.at() > KEEP_NANOS)) {
      if (order.remove(head)) {
        size.decrementAndGet();
        byLease.remove(head.lease(), head.at()); // only if not re-added since
      }
    }
  }
}
