package dev.taskflow.internal;

import dev.taskflow.StorageException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exponential back-off for a loop whose store calls fail: 100 ms doubling to 30 s, jittered. Logs a
 * warning when trouble starts and an info line when it ends, never one line per retry. An optional
 * hook runs when the store is reachable again, so that loops waiting out their own back-off (the
 * fetchers) can be woken at once instead of sleeping up to 30 s past the outage.
 */
public final class Backoff {
  private static final Logger log = LoggerFactory.getLogger(Backoff.class);
  public static final long MIN_MS = 100;
  public static final long MAX_MS = 30_000;

  private final String component;
  private final long minMs;
  private final long maxMs;
  private final Runnable onRecovered;
  private int failures;

  public Backoff(String component) {
    this(component, MIN_MS, MAX_MS, () -> {});
  }

  /** A back-off whose {@link #succeeded()} after failures runs {@code onRecovered}. */
  public Backoff(String component, Runnable onRecovered) {
    this(component, MIN_MS, MAX_MS, onRecovered);
  }

  public Backoff(String component, long minMs, long maxMs, Runnable onRecovered) {
    this.component = component;
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.onRecovered = onRecovered;
  }

  public void failed(StorageException e) {
    failures++;
    if (failures == 1) {
      log.warn("{}: store unavailable, backing off and retrying: {}", component, e.getMessage());
    } else {
      log.debug(
          "{}: store still unavailable after {} tries: {}", component, failures, e.getMessage());
    }
  }

  public void succeeded() {
    if (failures > 0) {
      log.info("{}: store reachable again after {} failed tries", component, failures);
      failures = 0;
      onRecovered.run();
    }
  }

  public boolean isFailing() {
    return failures > 0;
  }

  /** Parks for the current back-off; returns early when interrupted (the flag stays set). */
  public void pause() {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis()));
  }

  /** The current back-off, jittered: half to all of min doubled per failure, capped at max. */
  public long pauseMillis() {
    long ceiling = Math.min(maxMs, minMs << Math.min(failures, 20));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}
