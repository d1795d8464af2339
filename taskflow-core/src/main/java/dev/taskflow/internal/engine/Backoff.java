package dev.taskflow.internal.engine;

import dev.taskflow.StorageException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exponential back-off for a loop whose store calls fail: 100 ms doubling to 30 s, jittered. Logs a
 * warning when trouble starts and an info line when it ends, never one line per retry.
 */
final class Backoff {
  private static final Logger log = LoggerFactory.getLogger(Backoff.class);
  static final long MIN_MS = 100;
  static final long MAX_MS = 30_000;

  private final String component;
  private int failures;

  Backoff(String component) {
    this.component = component;
  }

  void failed(StorageException e) {
    failures++;
    if (failures == 1) {
      log.warn("{}: store unavailable, backing off and retrying: {}", component, e.getMessage());
    } else {
      log.debug(
          "{}: store still unavailable after {} tries: {}", component, failures, e.getMessage());
    }
  }

  void succeeded() {
    if (failures > 0) {
      log.info("{}: store reachable again after {} failed tries", component, failures);
      failures = 0;
    }
  }

  boolean isFailing() {
    return failures > 0;
  }

  /** Parks for the current back-off; returns early when interrupted (the flag stays set). */
  void pause() {
    long ceiling = Math.min(MAX_MS, MIN_MS << Math.min(failures, 20));
    long ms = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
  }
}
