package dev.taskflow.benchmarks;

import dev.taskflow.Job;
import dev.taskflow.TaskFlow;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.Storage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts finished (completed) jobs in a store quickly, before a drain, for the history figure. SQL
 * stores get them with one {@code INSERT … SELECT} per chunk (rows and their {@code job.completed}
 * events, the per-state counters kept by the schema's triggers); the memory store through the SPI
 * (enqueue, claim, complete).
 */
final class History {
  private static final int CHUNK = 100_000;

  private History() {}

  static void insertFinished(BenchStore store, Storage storage, TaskFlow tf, int count)
      throws SQLException {
    if (store.kind() == BenchStore.Kind.SQLITE) {
      insertSqlite(store, count);
    } else if (store.kind() == BenchStore.Kind.POSTGRES) {
      insertPostgres(store, count);
    } else {
      insertThroughSpi(storage, tf, count);
    }
  }

  private static void insertSqlite(BenchStore store, int count) throws SQLException {
    long now = System.currentTimeMillis();
    // ids sort before every UUIDv7 the store makes (time prefix 0), as old rows would
    String jobs =
        """
        WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO taskflow_jobs (id, type, queue, priority, args, state, attempt, max_attempts,
          scheduled_at, created_at, started_at, finished_at, errors, tags, history)
        SELECT printf('00000000-0000-7000-8000-%012x', i), 'bench.noop', 'default', 0,
          '{"t":0}', 'completed', 1, 25, ?, ?, ?, ?, '[]', '[]', '[]' FROM n
        """;
    String events =
        """
        INSERT INTO taskflow_events (job_id, type, time, job_type, queue, owner, data)
        SELECT id, 'job.completed', finished_at, type, queue, NULL, '{"attempt":1}'
        FROM taskflow_jobs WHERE id >= printf('00000000-0000-7000-8000-%012x', ?)
          AND id <= printf('00000000-0000-7000-8000-%012x', ?)
        """;
    try (Connection c = store.jdbc()) {
      c.setAutoCommit(false);
      for (int from = 1; from <= count; from += CHUNK) {
        int to = Math.min(count, from + CHUNK - 1);
        try (PreparedStatement ps = c.prepareStatement(jobs)) {
          ps.setInt(1, from);
          ps.setInt(2, to);
          for (int k = 3; k <= 6; k++) ps.setLong(k, now);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(events)) {
          ps.setInt(1, from);
          ps.setInt(2, to);
          ps.executeUpdate();
        }
        c.commit();
      }
    }
  }

  private static void insertPostgres(BenchStore store, int count) throws SQLException {
    long now = System.currentTimeMillis();
    // ids sort before every UUIDv7 the store makes (time prefix 0), as old rows would; the
    // schema's triggers keep the counters, and each row gets its job.completed event
    String jobs =
        """
        INSERT INTO taskflow_jobs (id, type, queue, priority, args, state, attempt, max_attempts,
          scheduled_at, created_at, started_at, finished_at)
        SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'bench.noop',
          'default', 0, '{"t":0}', 'completed', 1, 25, ?, ?, ?, ?
        FROM generate_series(?::bigint, ?::bigint) AS i
        """;
    String events =
        """
        INSERT INTO taskflow_events (job_id, type, time, job_type, queue, owner, data)
        SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'job.completed', ?,
          'bench.noop', 'default', NULL, '{"attempt":1}'
        FROM generate_series(?::bigint, ?::bigint) AS i
        """;
    try (Connection c = store.jdbc()) {
      c.setAutoCommit(false);
      for (int from = 1; from <= count; from += CHUNK) {
        int to = Math.min(count, from + CHUNK - 1);
        try (PreparedStatement ps = c.prepareStatement(jobs)) {
          for (int k = 1; k <= 4; k++) ps.setLong(k, now);
          ps.setLong(5, from);
          ps.setLong(6, to);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(events)) {
          ps.setLong(1, now);
          ps.setLong(2, from);
          ps.setLong(3, to);
          ps.executeUpdate();
        }
        c.commit();
      }
    }
  }

  private static void insertThroughSpi(Storage storage, TaskFlow tf, int count) {
    EngineBench.enqueueZeros(tf, count);
    String owner = "bench-history";
    while (true) {
      List<Job> claimed =
          storage.jobClaim(
              new JobClaimParams(
                  "default", 1000, owner, Duration.ofMinutes(10), Set.of(), Map.of()));
      if (claimed.isEmpty()) return;
      List<JobFinish> done = new ArrayList<>(claimed.size());
      for (Job j : claimed) done.add(new JobFinish.Completed(SpiLoop.lease(j, owner), null));
      storage.jobFinishMany(new JobFinishManyParams(done));
    }
  }
}
