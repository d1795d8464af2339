package dev.taskflow.postgres;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the job-count deltas into the base counts every second, on its own thread, so the deltas
 * table stays small and readers add only a few rows. Only one server folds at a time (a try-lock);
 * the others skip that round. Failures (the database is down) are logged and retried.
 */
final class CountFolder {
  private static final Logger log = LoggerFactory.getLogger(CountFolder.class);
  private static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  private final PostgresStorage store;
  private final Thread thread;
  private volatile boolean stopped;

  CountFolder(PostgresStorage store, PostgresDialect dialect) {
    this.store = store;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("taskflow-pg-counts-" + dialect.schema())
            .unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long failures = 0;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(INTERVAL_NANOS);
      if (stopped) break;
      try {
        store.foldCounts();
        if (failures > 0) log.info("[postgres] folding the job counters works again");
        failures = 0;
      } catch (Throwable e) {
        // Never die silently: readers add the deltas, so counts stay right meanwhile.
        if (failures++ % 30 == 0) {
          log.warn(
              "[postgres] folding the job counters failed ({} in a row); will retry: {}",
              failures,
              e.toString());
        }
      }
    }
  }

  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
