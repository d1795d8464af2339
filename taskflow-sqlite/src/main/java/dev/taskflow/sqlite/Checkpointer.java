package dev.taskflow.sqlite;

import dev.taskflow.jdbc.PeriodicThread;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own thread and connection, so that commits only
 * append to the WAL and fsync it. Left to SQLite, the commit that crosses the auto-checkpoint
 * threshold does the copy and the database fsync itself, while holding the write lock.
 *
 * <p>A {@code PASSIVE} checkpoint never blocks readers or the writer. The writer keeps a high
 * auto-checkpoint threshold as a safety net, so the WAL stays bounded even if this thread falls
 * behind.
 */
final class Checkpointer {
  /** The writer's own auto-checkpoint threshold, in pages, as a safety net (about 40 MB). */
  static final int SAFETY_NET_PAGES = 10_000;

  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  interface Opener {
    Connection open() throws SQLException;
  }

  private final Path file;
  private final Opener opener;
  private final AtomicLong commits = new AtomicLong();
  private final PeriodicThread thread;
  // on the checkpoint thread only
  private Connection c;
  private long failures;

  Checkpointer(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
    this.thread =
        new PeriodicThread(
            "taskflow-sqlite-checkpoint", Duration.ofMillis(100), this::checkpoint, this::close);
  }

  void start() {
    thread.start();
  }

  /** Called by the writer after each commit. */
  void committed() {
    commits.incrementAndGet();
  }

  private void checkpoint() {
    if (commits.getAndSet(0) == 0) return;
    try {
      if (c == null) c = opener.open();
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
      }
      failures = 0;
    } catch (Throwable e) {
      // Never die silently: the writer's own auto-checkpoint bounds the WAL meanwhile.
      if (failures++ % 100 == 0) {
        log.warn(
            "[sqlite] checkpoint of {} failed ({} in a row); will keep trying: {}",
            file,
            failures,
            e.toString());
      }
      close();
    }
  }

  /** Stops the thread and waits for it (a checkpoint in progress finishes first). */
  void stop() {
    thread.stop();
  }

  private void close() {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("[sqlite] closing the checkpoint connection: {}", e.getMessage());
    }
    c = null;
  }
}
