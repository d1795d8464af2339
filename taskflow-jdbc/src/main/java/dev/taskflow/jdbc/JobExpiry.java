package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.JobExpireParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Start deadlines: cancels, with reason {@code expired}, waiting jobs that never started and whose
 * {@code start_by} has passed. The update repeats the conditions, so a job that a claim or another
 * server's sweep moved meanwhile is left alone; rows another sweep holds are skipped (SKIP LOCKED).
 */
final class JobExpiry {
  static final String WAITING = "state IN ('enqueued', 'scheduled', 'awaiting')";

  /** The claim's guard: a job past its start deadline that never started is not claimable. */
  static final String NOT_EXPIRED = "(start_by IS NULL OR start_by > ? OR started_at IS NOT NULL)";

  private final SqlDialect dialect;

  JobExpiry(SqlDialect dialect) {
    this.dialect = dialect;
  }

  int expire(Connection c, JobExpireParams p, Instant now) throws SQLException {
    String due = " AND start_by <= ? AND started_at IS NULL AND " + WAITING;
    List<JobMeta> found =
        JobMeta.lockDue(c, dialect, "start_by IS NOT NULL" + due, "start_by, id", now, p.limit());
    if (found.isEmpty()) return 0;
    Set<UUID> done = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + JOBS
                + " SET state = 'cancelled', finished_at = ?, history = "
                + dialect.jsonArrayAppend("history", "?")
                + " WHERE id IN ("
                + marks(found.size())
                + ")"
                + due
                + " RETURNING id")) {
      int i = 1;
      ps.setLong(i++, now.toEpochMilli());
      ps.setString(
          i++, JobRows.historyJson(JobState.CANCELLED, now, JobExpireParams.REASON, p.serverId()));
      for (JobMeta m : found) ps.setString(i++, m.id().toString());
      ps.setLong(i, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) done.add(UUID.fromString(rs.getString(1)));
      }
    }
    List<NewEvent> events = new ArrayList<>();
    for (JobMeta m : found) {
      if (!done.contains(m.id())) continue;
      events.add(
          m.event(
              JobEvent.CANCELLED,
              EventData.cancelled(
                  m.stub(JobState.CANCELLED, m.attempt()), JobExpireParams.REASON)));
    }
    EventLog.append(c, dialect, events, now);
    return done.size();
  }
}
