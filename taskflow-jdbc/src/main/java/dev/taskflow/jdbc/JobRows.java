package dev.taskflow.jdbc;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.spi.JobCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Table names, column lists and row mapping shared by every statement of {@link JdbcStorage}. */
final class JobRows {
  static final String JOBS = "taskflow_jobs";
  static final String EVENTS = "taskflow_events";
  static final String COUNTS = "taskflow_job_counts";
  static final String QUEUES = "taskflow_queues";
  static final String SERVERS = "taskflow_servers";

  /** Every column of a job, in the order {@link #job} reads them. */
  static final String COLUMNS =
      "id, type, queue, priority, args, state, attempt, max_attempts, scheduled_at, created_at,"
          + " started_at, finished_at, timeout_ms, progress, result, errors, owner, tags,"
          + " unique_key, history, lease_owner, lease_expires_at, depends_on, parent_failure,"
          + " batch_id, concurrency_key, unique_until, start_by";

  /** The states in which a job holds its unique key. */
  static final String LIVE = "state NOT IN ('completed', 'failed', 'cancelled', 'deleted')";

  static final String EVENT_COLUMNS = "seq, type, time, job_id, job_type, queue, owner, data";

  private static final Map<String, JobState> STATES = new HashMap<>();
  private static final Map<JobState, String> WIRE = new EnumMap<>(JobState.class);

  static {
    for (JobState s : JobState.values()) {
      STATES.put(s.wireName(), s);
      WIRE.put(s, s.wireName());
    }
  }

  private JobRows() {}

  /** The state stored as {@code name} (a lookup, as this runs for every row read). */
  static JobState state(String name) {
    JobState s = STATES.get(name);
    return s != null ? s : JobState.fromWire(name);
  }

  /** The stored name of a state. */
  static String wire(JobState s) {
    return WIRE.get(s);
  }

  static Job job(ResultSet rs) throws SQLException {
    return new Job(
        UUID.fromString(rs.getString(1)),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getString(5),
        state(rs.getString(6)),
        rs.getInt(7),
        rs.getInt(8),
        instant(rs, 9),
        instant(rs, 10),
        instant(rs, 11),
        instant(rs, 12),
        duration(rs, 13),
        JobCodec.progressFromJson(rs.getString(14)),
        rs.getString(15),
        JobCodec.errorsFromJson(rs.getString(16)),
        rs.getString(17),
        JobCodec.tagsFromJson(rs.getString(18)),
        rs.getString(19),
        JobCodec.historyFromJson(rs.getString(20)),
        rs.getString(21),
        instant(rs, 22),
        flow(rs));
  }

  /** The flow-control columns (23..28), {@link JobFlow#NONE} when all are null. */
  static JobFlow flow(ResultSet rs) throws SQLException {
    String dependsOn = rs.getString(23);
    String parentFailure = rs.getString(24);
    String batchId = rs.getString(25);
    String concurrencyKey = rs.getString(26);
    Instant uniqueUntil = instant(rs, 27);
    Instant startBy = instant(rs, 28);
    if (dependsOn == null
        && parentFailure == null
        && batchId == null
        && concurrencyKey == null
        && uniqueUntil == null
        && startBy == null) {
      return JobFlow.NONE;
    }
    return new JobFlow(
        JobCodec.idsFromJson(dependsOn),
        parentFailure == null ? null : ParentFailure.fromWire(parentFailure),
        batchId == null ? null : UUID.fromString(batchId),
        concurrencyKey,
        uniqueUntil,
        startBy);
  }

  /** The job with this id, or null; {@code lock} is appended to the select. */
  static Job select(Connection c, UUID id, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM " + JOBS + " WHERE id = ?" + lock)) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? job(rs) : null;
      }
    }
  }

  /** One history entry as JSON text. */
  static String historyJson(JobState state, Instant at, String reason, String server) {
    return JobCodec.historyToNode(new HistoryEntry(state, at, reason, server)).toString();
  }

  static JobEvent event(ResultSet rs) throws SQLException {
    return new JobEvent(
        Long.toString(rs.getLong(1)),
        rs.getString(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        UUID.fromString(rs.getString(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static Duration duration(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Duration.ofMillis(v);
  }

  static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, t.toEpochMilli());
  }

  static void setMillis(PreparedStatement ps, int i, Duration d) throws SQLException {
    if (d == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, d.toMillis());
  }

  /** {@code ?, ?, ?} with n marks. */
  static String marks(int n) {
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(", ");
      sb.append('?');
    }
    return sb.toString();
  }
}
