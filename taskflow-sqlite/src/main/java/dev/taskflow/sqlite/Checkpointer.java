package dev.taskflow.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
  private static final long INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

  interface Opener {
    Connection open() throws SQLException;
  }

  private final Path file;
  private final Opener opener;
  private final AtomicLong commits = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopped;

  Checkpointer(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
    this.thread = new Thread(this::run, "taskflow-sqlite-checkpoint");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Called by the writer after each commit. */
  void committed() {
    commits.incrementAndGet();
  }

  private void run() {
    Connection c = null;
    long failures = 0;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(INTERVAL_NANOS);
      if (stopped || commits.getAndSet(0) == 0) continue;
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
        close(c);
        c = null;
      }
    }
    close(c);
  }

  /** Stops the thread and waits for it (a checkpoint in progress finishes first). */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("[sqlite] closing the checkpoint connection: {}", e.getMessage());
    }
  }
}
