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
import dev.taskflow.spi.JobLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the end of attempts: the outcomes a worker reports ({@link JobFinish}), lease extensions,
 * and the rescue of attempts whose lease expired.
 *
 * <p>Every write is fenced: it matches {@code id AND attempt AND lease_owner AND state =
 * processing}. A batch of one kind is one statement: {@code UPDATE .. FROM (VALUES (id, attempt,
 * owner, ..), ..) AS v WHERE <fence> RETURNING id}, so the ids returned are exactly the leases that
 * still held.
 */
final class AttemptWriter {
  private static final String CLEAR_LEASE = "lease_owner = NULL, lease_expires_at = NULL";

  private final SqlDialect dialect;

  AttemptWriter(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /** Per-row values after the fencing triple, with their SQL types. */
  private record Extra(String[] types, List<Object[]> rows) {}

  Set<UUID> finishMany(Connection c, List<JobFinish> outcomes, Instant now) throws SQLException {
    Map<UUID, JobMeta> metas = metas(c, outcomes);
    long nowMs = now.toEpochMilli();
    Set<UUID> done = new HashSet<>();

    List<JobFinish.Completed> completed = only(outcomes, JobFinish.Completed.class);
    done.addAll(
        fenced(
            c,
            "state = 'completed', result = "
                + dialect.json("v.column4")
                + ", finished_at = ?, "
                + CLEAR_LEASE
                + ", "
                + history("v.column5"),
            List.of(nowMs),
            leases(completed),
            rows(
                completed,
                new String[] {"text", "text"},
                f ->
                    new Object[] {
                      f.resultJson(), entry(JobState.COMPLETED, now, "completed", f.lease())
                    })));

    List<JobFinish.Retry> retry = only(outcomes, JobFinish.Retry.class);
    done.addAll(
        fenced(
            c,
            "state = 'scheduled', scheduled_at = v.column4, "
                + CLEAR_LEASE
                + ", "
                + errors("v.column5")
                + ", "
                + history("v.column6")
                + ", priority = coalesce(v.column7, priority)",
            List.of(),
            leases(retry),
            rows(
                retry,
                new String[] {"bigint", "text", "text", "int"},
                f ->
                    new Object[] {
                      now.plus(f.delay()).toEpochMilli(),
                      error(f.error(), f.lease().attempt(), now),
                      entry(JobState.SCHEDULED, now, "retry", f.lease()),
                      f.priority()
                    })));

    List<JobFinish.Failed> failed = only(outcomes, JobFinish.Failed.class);
    done.addAll(
        fenced(
            c,
            withError("state = 'failed', finished_at = ?, "),
            List.of(nowMs),
            leases(failed),
            rows(
                failed,
                new String[] {"text", "text"},
                f ->
                    new Object[] {
                      error(f.error(), f.lease().attempt(), now),
                      entry(JobState.FAILED, now, "failed", f.lease())
                    })));

    List<JobFinish.Snoozed> snoozed = only(outcomes, JobFinish.Snoozed.class);
    done.addAll(
        fenced(
            c,
            "state = 'scheduled', scheduled_at = v.column4, attempt = attempt - 1, "
                + CLEAR_LEASE
                + ", "
                + history("v.column5"),
            List.of(),
            leases(snoozed),
            rows(
                snoozed,
                new String[] {"bigint", "text"},
                f ->
                    new Object[] {
                      now.plus(f.delay()).toEpochMilli(),
                      entry(JobState.SCHEDULED, now, "snoozed", f.lease())
                    })));

    List<JobFinish.Cancelled> cancelled = only(outcomes, JobFinish.Cancelled.class);
    done.addAll(
        fenced(
            c,
            "state = 'cancelled', finished_at = ?, " + CLEAR_LEASE + ", " + history("v.column4"),
            List.of(nowMs),
            leases(cancelled),
            rows(
                cancelled,
                new String[] {"text"},
                f ->
                    new Object[] {
                      entry(JobState.CANCELLED, now, reason(f.reason(), "cancelled"), f.lease())
                    })));

    List<JobFinish.Released> released = only(outcomes, JobFinish.Released.class);
    done.addAll(
        fenced(
            c,
            "state = 'enqueued', attempt = attempt - 1, "
                + CLEAR_LEASE
                + ", "
                + history("v.column4"),
            List.of(),
            leases(released),
            rows(
                released,
                new String[] {"text"},
                f ->
                    new Object[] {
                      entry(JobState.ENQUEUED, now, reason(f.reason(), "released"), f.lease())
                    })));

    Set<UUID> recorded = new LinkedHashSet<>();
    List<NewEvent> events = new ArrayList<>();
    for (JobFinish f : outcomes) {
      UUID id = f.lease().id();
      // A lease named twice in one batch is recorded (and reported) once.
      if (!done.contains(id) || !recorded.add(id)) continue;
      events.add(event(metas.get(id), f, now));
    }
    EventLog.append(c, dialect, events, now);
    return recorded;
  }

  /** Extends the leases still held; returns their ids. */
  Set<UUID> heartbeat(Connection c, List<JobLease> leases, Instant until) throws SQLException {
    return fenced(
        c,
        "lease_expires_at = ?",
        List.of(until.toEpochMilli()),
        leases,
        new Extra(new String[0], null));
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
    List<JobMeta> expired =
        JobMeta.lockDue(
            c,
            dialect,
            "state = 'processing' AND lease_expires_at < ?",
            "lease_expires_at, id",
            now,
            limit);
    if (expired.isEmpty()) return 0;
    List<JobMeta> again = new ArrayList<>();
    List<JobMeta> failed = new ArrayList<>();
    for (JobMeta m : expired) (m.attempt() < m.maxAttempts() ? again : failed).add(m);
    String[] types = {"text", "text"};
    Set<UUID> requeued =
        fenced(
            c,
            withError("state = 'enqueued', "),
            List.of(),
            metaLeases(again),
            new Extra(types, rescueRows(again, JobState.ENQUEUED, serverId, now)));
    Set<UUID> gaveUp =
        fenced(
            c,
            withError("state = 'failed', finished_at = ?, "),
            List.of(now.toEpochMilli()),
            metaLeases(failed),
            new Extra(types, rescueRows(failed, JobState.FAILED, serverId, now)));
    List<NewEvent> events = new ArrayList<>();
    for (JobMeta m : expired) {
      if (requeued.contains(m.id())) {
        events.add(
            m.event(
                JobEvent.ENQUEUED,
                EventData.enqueued(m.stub(JobState.ENQUEUED, m.attempt()), "lease_expired")));
      } else if (gaveUp.contains(m.id())) {
        events.add(
            m.event(
                JobEvent.FAILED,
                EventData.failed(m.stub(JobState.FAILED, m.attempt()), leaseError(m, now))));
      }
    }
    EventLog.append(c, dialect, events, now);
    return requeued.size() + gaveUp.size();
  }

  private static List<Object[]> rescueRows(
      List<JobMeta> metas, JobState to, String serverId, Instant now) {
    List<Object[]> rows = new ArrayList<>(metas.size());
    for (JobMeta m : metas) {
      rows.add(
          new Object[] {
            JobCodec.errorToNode(leaseError(m, now)).toString(),
            JobCodec.historyToNode(new HistoryEntry(to, now, "lease_expired", serverId)).toString()
          });
    }
    return rows;
  }

  private static List<JobLease> metaLeases(List<JobMeta> metas) {
    List<JobLease> out = new ArrayList<>(metas.size());
    for (JobMeta m : metas) out.add(new JobLease(m.id(), m.attempt(), m.leaseOwner()));
    return out;
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

  /**
   * One fenced multi-row update: {@code set} may use {@code ?} for {@code fixed} values (bound
   * first) and {@code v.column4}.. for the per-row {@code extra} values.
   *
   * @return the ids of the rows it changed
   */
  private Set<UUID> fenced(
      Connection c, String set, List<Object> fixed, List<JobLease> leases, Extra extra)
      throws SQLException {
    Set<UUID> changed = new HashSet<>();
    if (leases.isEmpty()) return changed;
    StringBuilder row =
        new StringBuilder("(")
            .append(dialect.typedParam(dialect.idType()))
            .append(", ")
            .append(dialect.typedParam("int"))
            .append(", ")
            .append(dialect.typedParam("text"));
    for (String t : extra.types()) row.append(", ").append(dialect.typedParam(t));
    row.append(')');
    int perRow = 3 + extra.types().length;
    int size = ValuesRows.chunkSize(perRow);
    for (int from = 0; from < leases.size(); from += size) {
      int to = Math.min(leases.size(), from + size);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + JOBS
                  + " SET "
                  + set
                  + " FROM (VALUES "
                  + ValuesRows.rows(to - from, row.toString())
                  + ") AS v WHERE "
                  + JOBS
                  + ".id = v.column1 AND "
                  + JOBS
                  + ".attempt = v.column2 AND "
                  + JOBS
                  + ".lease_owner = v.column3 AND "
                  + JOBS
                  + ".state = 'processing' RETURNING "
                  + JOBS
                  + ".id")) {
        int i = 1;
        for (Object f : fixed) bind(ps, i++, f);
        for (int r = from; r < to; r++) {
          JobLease l = leases.get(r);
          ps.setString(i++, l.id().toString());
          ps.setInt(i++, l.attempt());
          ps.setString(i++, l.leaseOwner());
          if (extra.rows() != null) {
            for (Object v : extra.rows().get(r)) bind(ps, i++, v);
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) changed.add(UUID.fromString(rs.getString(1)));
        }
      }
    }
    return changed;
  }

  private static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
    switch (v) {
      case null -> ps.setNull(i, Types.VARCHAR);
      case Long l -> ps.setLong(i, l);
      case Integer n -> ps.setInt(i, n);
      case String s -> ps.setString(i, s);
      default -> throw new IllegalArgumentException("cannot bind " + v.getClass());
    }
  }

  private interface RowValues<F> {
    Object[] of(F f);
  }

  private static <F extends JobFinish> Extra rows(List<F> fs, String[] types, RowValues<F> v) {
    List<Object[]> rows = new ArrayList<>(fs.size());
    for (F f : fs) rows.add(v.of(f));
    return new Extra(types, rows);
  }

  private static List<JobLease> leases(List<? extends JobFinish> fs) {
    List<JobLease> out = new ArrayList<>(fs.size());
    for (JobFinish f : fs) out.add(f.lease());
    return out;
  }

  private static <F extends JobFinish> List<F> only(List<JobFinish> all, Class<F> kind) {
    List<F> out = new ArrayList<>();
    for (JobFinish f : all) if (kind.isInstance(f)) out.add(kind.cast(f));
    return out;
  }

  private Map<UUID, JobMeta> metas(Connection c, List<JobFinish> outcomes) throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    for (JobFinish f : outcomes) ids.add(f.lease().id().toString());
    Map<UUID, JobMeta> out = new HashMap<>();
    for (List<String> chunk : ValuesRows.chunks(List.copyOf(ids), ValuesRows.chunkSize(1))) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + JobMeta.COLUMNS
                  + " FROM "
                  + JOBS
                  + " WHERE id IN ("
                  + JobRows.marks(chunk.size())
                  + ")")) {
        int i = 1;
        for (String id : chunk) ps.setString(i++, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JobMeta m = JobMeta.read(rs);
            out.put(m.id(), m);
          }
        }
      }
    }
    return out;
  }

  /**
   * {@code stateSet} (ending in a comma) for an attempt that ends with an error: the lease cleared,
   * and the error and a history entry appended from the VALUES columns 4 and 5.
   */
  private String withError(String stateSet) {
    return stateSet + CLEAR_LEASE + ", " + errors("v.column4") + ", " + history("v.column5");
  }

  private String history(String value) {
    return "history = " + dialect.jsonArrayAppend("history", value);
  }

  private String errors(String value) {
    return "errors = " + dialect.jsonArrayAppend("errors", value);
  }

  private static String entry(JobState state, Instant now, String reason, JobLease lease) {
    return JobCodec.historyToNode(new HistoryEntry(state, now, reason, lease.leaseOwner()))
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
