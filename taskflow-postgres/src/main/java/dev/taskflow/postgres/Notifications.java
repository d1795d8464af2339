package dev.taskflow.postgres;

import dev.taskflow.spi.StoreListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code LISTEN} connection per store, outside the pool, on its own thread. Payloads are {@code
 * q:<queue>} (jobs became claimable) and {@code e} (events appended). When the connection breaks it
 * reconnects with a growing pause (up to 5 s) and then wakes every listener for everything (every
 * queue with enqueued jobs, and the event log), since notifications sent meanwhile are lost.
 */
final class Notifications {
  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  private static final int WAIT_MILLIS = 500;
  private static final long MAX_PAUSE_NANOS = Duration.ofSeconds(5).toNanos();

  private final PostgresStorage store;
  private final String channel;
  private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Connection current;

  Notifications(PostgresStorage store, String channel) {
    this.store = store;
    this.channel = channel;
    this.thread =
        Thread.ofPlatform().daemon().name("taskflow-pg-listen-" + channel).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void add(StoreListener l) {
    listeners.add(l);
  }

  void remove(StoreListener l) {
    listeners.remove(l);
  }

  private void run() {
    long pause = Duration.ofMillis(100).toNanos();
    boolean connectedBefore = false;
    long failures = 0;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      try (Connection c = store.dedicatedConnection()) {
        current = c;
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN \"" + channel + "\"");
        }
        if (connectedBefore || failures > 0) {
          log.info("[postgres] listening on {} again; waking every queue to catch up", channel);
          catchUp();
        }
        connectedBefore = true;
        failures = 0;
        pause = Duration.ofMillis(100).toNanos();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped) {
          PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
          if (got == null) continue;
          for (PGNotification n : got) dispatch(n.getParameter());
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) break;
        if (failures++ % 20 == 0) {
          log.warn(
              "[postgres] the LISTEN connection on {} failed ({} in a row); reconnecting: {}",
              channel,
              failures,
              e.toString());
        }
      } finally {
        current = null;
      }
      if (stopped) break;
      LockSupport.parkNanos(pause);
      pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
    }
  }

  private void dispatch(String payload) {
    if (payload == null) return;
    if (payload.equals("e")) {
      each(StoreListener::eventsAppended);
    } else if (payload.startsWith("q:")) {
      String queue = payload.substring(2);
      each(l -> l.jobsAvailable(queue));
    }
  }

  private void catchUp() {
    each(StoreListener::eventsAppended);
    try {
      for (String q : store.queuesWithEnqueuedJobs()) each(l -> l.jobsAvailable(q));
    } catch (RuntimeException e) {
      log.warn(
          "[postgres] catch-up after reconnecting failed; polling covers it: {}", e.toString());
    }
  }

  private void each(Consumer<StoreListener> call) {
    for (StoreListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("[postgres] a store listener failed: {}", e.toString());
      }
    }
  }

  void stop() {
    stopped = true;
    Connection c = current;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("[postgres] closing the LISTEN connection: {}", e.getMessage());
      }
    }
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
