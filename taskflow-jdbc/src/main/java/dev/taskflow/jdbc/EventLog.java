package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.EVENTS;

import dev.taskflow.jdbc.JobMeta.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Appends built-in events inside the transaction that makes the change they report. */
final class EventLog {
  private EventLog() {}

  static void append(Connection c, SqlDialect dialect, List<NewEvent> events, Instant now)
      throws SQLException {
    if (events.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + EVENTS
                + " (job_id, type, time, job_type, queue, owner, data) VALUES (?, ?, ?, ?, ?, ?, "
                + dialect.jsonParam()
                + ")")) {
      long time = now.toEpochMilli();
      for (NewEvent e : events) {
        ps.setString(1, e.jobId().toString());
        ps.setString(2, e.type());
        ps.setLong(3, time);
        ps.setString(4, e.jobType());
        ps.setString(5, e.queue());
        ps.setString(6, e.owner());
        ps.setString(7, e.data());
        if (events.size() == 1) {
          ps.executeUpdate();
          return;
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
