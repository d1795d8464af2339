package dev.taskflow.postgres;

import dev.taskflow.jdbc.PeriodicThread;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the job-count deltas into the base counts every second, on its own thread, so the deltas
 * table stays small and readers add only a few rows. Only one server folds at a time (a try-lock);
 * the others skip that round. Failures (the database is down) are logged and retried.
 */
final class CountFolder {
  private static final Logger log = LoggerFactory.getLogger(CountFolder.class);

  private final PostgresStorage store;
  private final PeriodicThread thread;
  private long failures; // on the folding thread only

  CountFolder(PostgresStorage store, PostgresDialect dialect) {
    this.store = store;
    this.thread =
        new PeriodicThread(
            "taskflow-pg-counts-" + dialect.schema(), Duration.ofSeconds(1), this::fold, () -> {});
  }

  void start() {
    thread.start();
  }

  private void fold() {
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

  void stop() {
    thread.stop();
  }
}
