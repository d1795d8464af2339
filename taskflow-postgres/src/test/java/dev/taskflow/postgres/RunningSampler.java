package dev.taskflow.postgres;

import dev.taskflow.fixtures.PgTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the processing rows of a schema per bucket (one column: {@code queue}, {@code owner},
 * {@code concurrency_key}, {@code type}) on its own connection, over and over until closed, and
 * keeps the largest count seen per bucket. This is what the database saw, whichever node claimed.
 */
final class RunningSampler implements AutoCloseable {
  private static final Duration PAUSE = Duration.ofMillis(2); // between samples, to spare the CPU

  private final Map<String, Integer> max = new ConcurrentHashMap<>();
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicReference<SQLException> failure = new AtomicReference<>();
  private volatile boolean stop;
  private final Thread thread;

  /** Starts sampling; jobs whose column is null count in the bucket {@code ""}. */
  RunningSampler(String schema, String column) {
    String sql =
        "SELECT coalesce("
            + column
            + ", ''), count(*) FROM taskflow_jobs WHERE state = 'processing' GROUP BY 1";
    thread =
        Thread.ofPlatform()
            .name("running-sampler")
            .start(
                () -> {
                  try (Connection c = PgTestDatabase.connect(schema);
                      PreparedStatement ps = c.prepareStatement(sql)) {
                    while (!stop) {
                      try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                          max.merge(rs.getString(1), (int) rs.getLong(2), Math::max);
                        }
                      }
                      samples.incrementAndGet();
                      LockSupport.parkNanos(PAUSE.toNanos());
                    }
                  } catch (SQLException e) {
                    failure.set(e);
                  }
                });
  }

  /** Stops sampling and returns the largest processing count seen per bucket. */
  Map<String, Integer> stopAndGet() {
    close();
    if (failure.get() != null) throw new IllegalStateException("sampling failed", failure.get());
    if (samples.get() == 0) throw new IllegalStateException("no sample was taken");
    return Map.copyOf(max);
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
