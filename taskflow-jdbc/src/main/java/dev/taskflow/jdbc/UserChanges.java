package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COLUMNS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.historyJson;

import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobState;
import dev.taskflow.JobTransitions;
import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.JobChangeStateParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's cancel, retry and delete of one job, and the retention that removes old jobs. */
final class UserChanges {
  private final SqlDialect dialect;
  private final String appendHistory;

  UserChanges(SqlDialect dialect) {
    this.dialect = dialect;
    this.appendHistory = "history = " + dialect.jsonArrayAppend("history", "?");
  }

  Job change(Connection c, JobChangeStateParams p, Instant now) throws SQLException {
    if (p.action() == JobChangeStateParams.Action.RETRY) {
      // A retry may need room in a bounded queue: lock that queue's row before the job's, the
      // order an enqueue takes them in (queue, then parent jobs), so the two never deadlock. A
      // job's queue never changes, so reading it unlocked is safe.
      Job peek = JobRows.select(c, p.id(), "");
      if (peek != null) new QueueBounds(dialect).lockRow(c, peek.queue());
    }
    Job job = JobRows.select(c, p.id(), dialect.lockForUpdate());
    if (job == null) throw new JobNotFoundException(p.id());
    return switch (p.action()) {
      case CANCEL -> cancelOrDelete(c, job, p, now, JobState.CANCELLED, "cancel");
      case DELETE -> cancelOrDelete(c, job, p, now, JobState.DELETED, "delete");
      case RETRY -> retry(c, job, p, now);
    };
  }

  private Job cancelOrDelete(
      Connection c, Job job, JobChangeStateParams p, Instant now, JobState to, String action)
      throws SQLException {
    JobTransitions.check(job.id(), job.state(), to, action);
    String reason =
        AttemptWriter.reason(
            p.reason(), to == JobState.CANCELLED ? "cancelled by user" : "deleted by user");
    Job changed =
        updateOne(
            c,
            job,
            "state = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL",
            ps -> {
              ps.setString(1, to.wireName());
              ps.setLong(2, now.toEpochMilli());
              return 3;
            },
            historyJson(to, now, reason, p.serverId()));
    String data =
        to == JobState.CANCELLED
            ? EventData.cancelled(changed, reason)
            : EventData.deleted(changed, reason);
    String type = to == JobState.CANCELLED ? JobEvent.CANCELLED : JobEvent.DELETED;
    EventLog.append(c, dialect, List.of(NewEvent.of(changed, type, data)), now);
    return changed;
  }

  private Job retry(Connection c, Job job, JobChangeStateParams p, Instant now)
      throws SQLException {
    JobTransitions.check(job.id(), job.state(), JobState.ENQUEUED, "retry");
    Job holder = JobInserter.liveHolder(c, job.uniqueKey());
    if (holder != null) {
      // Retrying would give the unique key two live jobs; the live one must finish first.
      throw new IllegalTransitionException(
          job.id(),
          job.state(),
          "retry",
          "unique key '" + job.uniqueKey() + "' is held by live job " + holder.id());
    }
    new QueueBounds(dialect).checkRoomForOne(c, job.queue());
    String reason = AttemptWriter.reason(p.reason(), "retried by user");
    Job changed =
        updateOne(
            c,
            job,
            "state = 'enqueued', scheduled_at = ?, finished_at = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL, max_attempts = ?, priority = ?",
            ps -> {
              ps.setLong(1, now.toEpochMilli());
              ps.setInt(2, Math.max(job.maxAttempts(), job.attempt() + 1));
              ps.setInt(3, p.priority() == null ? job.priority() : p.priority());
              return 4;
            },
            historyJson(JobState.ENQUEUED, now, reason, p.serverId()));
    EventLog.append(
        c,
        dialect,
        List.of(NewEvent.of(changed, JobEvent.ENQUEUED, EventData.enqueued(changed, reason))),
        now);
    return changed;
  }

  private interface Binder {
    int bind(PreparedStatement ps) throws SQLException;
  }

  /** Updates one job whose state was read in this transaction; returns the new row. */
  private Job updateOne(Connection c, Job job, String set, Binder binder, String history)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + JOBS
                + " SET "
                + set
                + ", "
                + appendHistory
                + " WHERE id = ? AND state = ? RETURNING "
                + COLUMNS)) {
      int i = binder.bind(ps);
      ps.setString(i, history);
      ps.setString(i + 1, job.id().toString());
      ps.setString(i + 2, job.state().wireName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StorageException(
              "job " + job.id() + " changed state while it was being updated; try again");
        }
        return JobRows.job(rs);
      }
    }
  }

  /**
   * Deletes up to {@code limit} finished jobs per the cutoffs, oldest first. Events go with their
   * job ({@code ON DELETE CASCADE}); the counters follow by trigger; the dependency links of the
   * deleted jobs as children go in the same transaction. Rows another transaction holds are skipped
   * ({@link SqlDialect#lockForDeleteSkipLocked()}), among them the parents an uncommitted insert is
   * linking a child to: that child is invisible to the {@code noAwaitingChild} check.
   */
  int retention(Connection c, Map<JobState, Instant> cutoffs, int limit) throws SQLException {
    List<UUID> deleted = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + JOBS
                + " WHERE "
                + dialect.inSubquery(
                    "id",
                    "SELECT r.id FROM "
                        + JOBS
                        + " r WHERE r.state = ? AND r.finished_at < ? AND "
                        + DependencyRows.noAwaitingChild("r")
                        + " AND "
                        + BatchRows.notInOpenBatch("r")
                        + " ORDER BY r.finished_at LIMIT ?"
                        + dialect.lockForDeleteSkipLocked())
                + " RETURNING id")) {
      for (Map.Entry<JobState, Instant> e : cutoffs.entrySet()) {
        if (deleted.size() >= limit) break;
        ps.setString(1, e.getKey().wireName());
        ps.setLong(2, e.getValue().toEpochMilli());
        ps.setInt(3, limit - deleted.size());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) deleted.add(UUID.fromString(rs.getString(1)));
        }
      }
    }
    DependencyRows.childrenDeleted(c, deleted);
    return deleted.size();
  }
}
