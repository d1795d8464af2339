package dev.taskflow.web;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Log lines about refused requests, at most one per interval: a client that sends a million bad
 * requests writes one line a minute, not a million. The next line written says how many were left
 * out.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  private final java.util.function.LongSupplier nanoTime;

  public RateLimitedLog(Logger log, long intervalMillis) {
    this(log, intervalMillis, System::nanoTime);
  }

  /** With the clock a test moves. */
  RateLimitedLog(Logger log, long intervalMillis, java.util.function.LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoTime = nanoTime;
  }

  /** Logs at INFO unless a line went out less than an interval ago. */
  public void info(String format, Object... args) {
    if (!log.isInfoEnabled()) return;
    long now = nanoTime.getAsLong();
    long next = nextAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextAt.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    log.info(
        left == 0 ? format : format + " (and " + left + " more refused since the last line)", args);
  }
}
