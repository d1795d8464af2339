package dev.taskflow.jdbc;

import dev.taskflow.Job;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The few columns an event envelope and {@link dev.taskflow.spi.EventData} need, read without the
 * JSON columns.
 */
record JobMeta(
    UUID id,
    String type,
    String queue,
    String owner,
    int priority,
    int attempt,
    int maxAttempts,
    String leaseOwner,
    Instant leaseExpiresAt) {

  static final String COLUMNS =
      "id, type, queue, owner, priority, attempt, max_attempts, lease_owner, lease_expires_at";

  static JobMeta read(ResultSet rs) throws SQLException {
    return new JobMeta(
        UUID.fromString(rs.getString(1)),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getInt(5),
        rs.getInt(6),
        rs.getInt(7),
        rs.getString(8),
        JobRows.instant(rs, 9));
  }

  /**
   * Reads and locks (skipping rows another transaction holds) up to {@code limit} jobs that match
   * {@code where}, whose one {@code ?} is bound to {@code now}, in {@code orderBy} order: the first
   * step of every maintenance pass that moves due jobs.
   */
  static List<JobMeta> lockDue(
      Connection c, SqlDialect dialect, String where, String orderBy, Instant now, int limit)
      throws SQLException {
    List<JobMeta> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + JobRows.JOBS
                + " WHERE "
                + where
                + " ORDER BY "
                + orderBy
                + " LIMIT ?"
                + dialect.lockSkipLocked())) {
      ps.setLong(1, now.toEpochMilli());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
    }
    return out;
  }

  /** A job with these fields and the given state and attempt, for building event data. */
  Job stub(JobState state, int attempt) {
    return new Job(
        id,
        type,
        queue,
        priority,
        null,
        state,
        attempt,
        maxAttempts,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        owner,
        null,
        null,
        null,
        null,
        null,
        JobFlow.NONE);
  }

  /** An event about this job. */
  NewEvent event(String eventType, String data) {
    return new NewEvent(id, eventType, type, queue, owner, data);
  }

  /** An event to append in the current transaction, stamped with its now. */
  record NewEvent(
      UUID jobId, String type, String jobType, String queue, String owner, String data) {
    static NewEvent of(Job job, String eventType, String data) {
      return new NewEvent(job.id(), eventType, job.type(), job.queue(), job.owner(), data);
    }
  }
}
