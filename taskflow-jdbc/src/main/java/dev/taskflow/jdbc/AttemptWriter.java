package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;

import dev.taskflow.HistoryEntry;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.JobFinish;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the end of attempts: the outcomes a worker reports ({@link JobFinish}) and the rescue of
 * attempts whose lease expired. Every update carries the fencing predicate; one batched statement
 * per kind of outcome.
 */
final class AttemptWriter {
  /** The fencing predicate: the lease still belongs to the writer. */
  static final String FENCE =
      " WHERE id = ? AND attempt = ? AND lease_owner = ? AND state = 'processing'";

  private static final String CLEAR_LEASE = "lease_owner = NULL, lease_expires_at = NULL";

  private final SqlDialect dialect;
  private final String history;
  private final String errors;

  AttemptWriter(SqlDialect dialect) {
    this.dialect = dialect;
    this.history = "history = " + dialect.jsonArrayAppend("history");
    this.errors = "errors = " + dialect.jsonArrayAppend("errors");
  }

  Set<UUID> finishMany(Connection c, List<JobFinish> outcomes, Instant now) throws SQLException {
    Map<UUID, JobMeta> metas = metas(c, outcomes);
    Map<JobFinish, Boolean> done = new IdentityHashMap<>();
    long nowMs = now.toEpochMilli();

    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'completed', result = "
            + dialect.jsonParam()
            + ", finished_at = ?, "
            + CLEAR_LEASE
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Completed.class,
        (ps, f) -> {
          ps.setString(1, f.resultJson());
          ps.setLong(2, nowMs);
          ps.setString(3, entry(JobState.COMPLETED, now, "completed", f));
          return 4;
        },
        done);
    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'scheduled', scheduled_at = ?, "
            + CLEAR_LEASE
            + ", "
            + errors
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Retry.class,
        (ps, f) -> {
          ps.setLong(1, now.plus(f.delay()).toEpochMilli());
          ps.setString(2, error(f.error(), f.lease().attempt(), now));
          ps.setString(3, entry(JobState.SCHEDULED, now, "retry", f));
          return 4;
        },
        done);
    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'failed', finished_at = ?, "
            + CLEAR_LEASE
            + ", "
            + errors
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Failed.class,
        (ps, f) -> {
          ps.setLong(1, nowMs);
          ps.setString(2, error(f.error(), f.lease().attempt(), now));
          ps.setString(3, entry(JobState.FAILED, now, "failed", f));
          return 4;
        },
        done);
    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'scheduled', scheduled_at = ?, attempt = attempt - 1, "
            + CLEAR_LEASE
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Snoozed.class,
        (ps, f) -> {
          ps.setLong(1, now.plus(f.delay()).toEpochMilli());
          ps.setString(2, entry(JobState.SCHEDULED, now, "snoozed", f));
          return 3;
        },
        done);
    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'cancelled', finished_at = ?, "
            + CLEAR_LEASE
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Cancelled.class,
        (ps, f) -> {
          ps.setLong(1, nowMs);
          ps.setString(2, entry(JobState.CANCELLED, now, reason(f.reason(), "cancelled"), f));
          return 3;
        },
        done);
    batch(
        c,
        "UPDATE "
            + JOBS
            + " SET state = 'enqueued', attempt = attempt - 1, "
            + CLEAR_LEASE
            + ", "
            + history
            + FENCE,
        outcomes,
        JobFinish.Released.class,
        (ps, f) -> {
          ps.setString(1, entry(JobState.ENQUEUED, now, reason(f.reason(), "released"), f));
          return 2;
        },
        done);

    Set<UUID> recorded = new LinkedHashSet<>();
    List<NewEvent> events = new ArrayList<>();
    for (JobFinish f : outcomes) {
      if (!done.getOrDefault(f, false)) continue;
      JobMeta m = metas.get(f.lease().id());
      recorded.add(m.id());
      events.add(event(m, f, now));
    }
    EventLog.append(c, dialect, events, now);
    return recorded;
  }

  private static NewEvent event(JobMeta m, JobFinish f, Instant now) {
    int attempt = f.lease().attempt();
    return switch (f) {
      case JobFinish.Completed x ->
          m.event(
              JobEvent.COMPLETED,
              EventData.completed(m.stub(JobState.COMPLETED, attempt), x.resultJson()));
      case JobFinish.Retry x ->
          m.event(
              JobEvent.RETRYING,
              EventData.retrying(
                  m.stub(JobState.SCHEDULED, attempt), x.error(), now.plus(x.delay())));
      case JobFinish.Failed x ->
          m.event(JobEvent.FAILED, EventData.failed(m.stub(JobState.FAILED, attempt), x.error()));
      case JobFinish.Snoozed x ->
          m.event(
              JobEvent.SCHEDULED,
              EventData.scheduled(
                  m.stub(JobState.SCHEDULED, attempt - 1), now.plus(x.delay()), "snoozed"));
      case JobFinish.Cancelled x ->
          m.event(
              JobEvent.CANCELLED,
              EventData.cancelled(
                  m.stub(JobState.CANCELLED, attempt), reason(x.reason(), "cancelled")));
      case JobFinish.Released x ->
          m.event(
              JobEvent.ENQUEUED,
              EventData.enqueued(
                  m.stub(JobState.ENQUEUED, attempt - 1), reason(x.reason(), "released")));
    };
  }

  /**
   * Moves processing jobs whose lease expired before now back to enqueued (attempts left) or to
   * failed, recording a {@code lease_expired} error for the lost attempt.
   */
  int rescueExpired(Connection c, String serverId, int limit, Instant now) throws SQLException {
    List<JobMeta> expired = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JobMeta.COLUMNS
                + " FROM "
                + JOBS
                + " WHERE state = 'processing' AND lease_expires_at < ?"
                + " ORDER BY lease_expires_at, id LIMIT ?"
                + dialect.lockSkipLocked())) {
      ps.setLong(1, now.toEpochMilli());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) expired.add(JobMeta.read(rs));
      }
    }
    if (expired.isEmpty()) return 0;
    String fenced = FENCE + " AND lease_expires_at < ?";
    List<NewEvent> events = new ArrayList<>();
    int rescued = 0;
    try (PreparedStatement retry =
            c.prepareStatement(
                "UPDATE "
                    + JOBS
                    + " SET state = 'enqueued', "
                    + CLEAR_LEASE
                    + ", "
                    + errors
                    + ", "
                    + history
                    + fenced);
        PreparedStatement fail =
            c.prepareStatement(
                "UPDATE "
                    + JOBS
                    + " SET state = 'failed', finished_at = ?, "
                    + CLEAR_LEASE
                    + ", "
                    + errors
                    + ", "
                    + history
                    + fenced)) {
      List<JobMeta> retried = new ArrayList<>();
      List<JobMeta> failed = new ArrayList<>();
      for (JobMeta m : expired) {
        boolean again = m.attempt() < m.maxAttempts();
        JobError err = leaseError(m, now);
        HistoryEntry h =
            new HistoryEntry(
                again ? JobState.ENQUEUED : JobState.FAILED, now, "lease_expired", serverId);
        PreparedStatement ps = again ? retry : fail;
        int i = 1;
        if (!again) ps.setLong(i++, now.toEpochMilli());
        ps.setString(i++, JobCodec.errorToNode(err).toString());
        ps.setString(i++, JobCodec.historyToNode(h).toString());
        ps.setString(i++, m.id().toString());
        ps.setInt(i++, m.attempt());
        ps.setString(i++, m.leaseOwner());
        ps.setLong(i, now.toEpochMilli());
        ps.addBatch();
        (again ? retried : failed).add(m);
      }
      rescued += record(retry, retried, events, now, true);
      rescued += record(fail, failed, events, now, false);
    }
    EventLog.append(c, dialect, events, now);
    return rescued;
  }

  private static int record(
      PreparedStatement ps, List<JobMeta> metas, List<NewEvent> events, Instant now, boolean again)
      throws SQLException {
    if (metas.isEmpty()) return 0;
    int[] counts = ps.executeBatch();
    int n = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] <= 0 && counts[i] != Statement.SUCCESS_NO_INFO) continue;
      JobMeta m = metas.get(i);
      n++;
      events.add(
          again
              ? m.event(
                  JobEvent.ENQUEUED,
                  EventData.enqueued(m.stub(JobState.ENQUEUED, m.attempt()), "lease_expired"))
              : m.event(
                  JobEvent.FAILED,
                  EventData.failed(m.stub(JobState.FAILED, m.attempt()), leaseError(m, now))));
    }
    return n;
  }

  private static JobError leaseError(JobMeta m, Instant now) {
    return new JobError(
        m.attempt(),
        now,
        "lease_expired",
        "the lease of server "
            + m.leaseOwner()
            + " on attempt "
            + m.attempt()
            + " expired at "
            + m.leaseExpiresAt()
            + " without a heartbeat (the worker died or lost the store)",
        null);
  }

  private interface Binder<F> {
    /** Binds the outcome's values; returns the index of the first fencing parameter. */
    int bind(PreparedStatement ps, F f) throws SQLException;
  }

  private static <F extends JobFinish> void batch(
      Connection c,
      String sql,
      List<JobFinish> outcomes,
      Class<F> kind,
      Binder<F> binder,
      Map<JobFinish, Boolean> done)
      throws SQLException {
    List<F> mine = new ArrayList<>();
    for (JobFinish f : outcomes) {
      if (kind.isInstance(f)) mine.add(kind.cast(f));
    }
    if (mine.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (F f : mine) {
        int i = binder.bind(ps, f);
        ps.setString(i, f.lease().id().toString());
        ps.setInt(i + 1, f.lease().attempt());
        ps.setString(i + 2, f.lease().leaseOwner());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) done.put(mine.get(i), true);
      }
    }
  }

  private Map<UUID, JobMeta> metas(Connection c, List<JobFinish> outcomes) throws SQLException {
    Set<UUID> ids = new LinkedHashSet<>();
    for (JobFinish f : outcomes) ids.add(f.lease().id());
    Map<UUID, JobMeta> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JobMeta.COLUMNS
                + " FROM "
                + JOBS
                + " WHERE id IN ("
                + JobRows.marks(ids.size())
                + ")")) {
      int i = 1;
      for (UUID id : ids) ps.setString(i++, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JobMeta m = JobMeta.read(rs);
          out.put(m.id(), m);
        }
      }
    }
    return out;
  }

  private static String entry(JobState state, Instant now, String reason, JobFinish f) {
    return JobCodec.historyToNode(new HistoryEntry(state, now, reason, f.lease().leaseOwner()))
        .toString();
  }

  private static String error(JobError e, int attempt, Instant now) {
    JobError stamped =
        new JobError(
            e.attempt() > 0 ? e.attempt() : attempt,
            e.at() != null ? e.at() : now,
            e.type(),
            e.message(),
            e.stackTrace());
    return JobCodec.errorToNode(stamped).toString();
  }

  static String reason(String given, String fallback) {
    return given == null || given.isBlank() ? fallback : given;
  }
}
