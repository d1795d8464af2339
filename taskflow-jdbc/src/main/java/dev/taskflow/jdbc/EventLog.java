package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.EVENTS;

import dev.taskflow.jdbc.JobMeta.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Appends built-in events inside the transaction that makes the change they report: one multi-row
 * insert per batch.
 */
final class EventLog {
  private static final int PARAMS_PER_ROW = 7;

  private EventLog() {}

  static final String STAGED = EVENTS + "_staged";

  /** Runs the dialect's event-log lock, if it has one; call right before inserting events. */
  static void lock(Connection c, SqlDialect dialect) throws SQLException {
    String lock = dialect.eventLogLockStatement();
    if (lock == null) return;
    try (Statement st = c.createStatement()) {
      st.execute(lock);
    }
  }

  static void append(Connection c, SqlDialect dialect, List<NewEvent> events, Instant now)
      throws SQLException {
    if (events.isEmpty()) return;
    boolean staged = c instanceof StagingConnection;
    if (!staged) lock(c, dialect);
    String table = staged ? STAGED : EVENTS;
    String row = "(?, ?, ?, ?, ?, ?, " + dialect.jsonParam() + ")";
    long time = now.toEpochMilli();
    for (List<NewEvent> chunk : ValuesRows.chunks(events, ValuesRows.chunkSize(PARAMS_PER_ROW))) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + table
                  + " (job_id, type, time, job_type, queue, owner, data) VALUES "
                  + ValuesRows.rows(chunk.size(), row))) {
        int i = 1;
        for (NewEvent e : chunk) {
          ps.setString(i++, e.jobId().toString());
          ps.setString(i++, e.type());
          ps.setLong(i++, time);
          ps.setString(i++, e.jobType());
          ps.setString(i++, e.queue());
          ps.setString(i++, e.owner());
          ps.setString(i++, e.data());
        }
        ps.executeUpdate();
      }
    }
  }
}
