package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.Dependencies;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Dependencies between jobs: parent checks at insert, the {@code taskflow_job_deps} links, and the
 * resolution of awaiting jobs whose parents finished ({@link Dependencies#decide}). Each move is
 * conditional on the job still being awaiting, so concurrent sweeps move a job once.
 */
final class DependencyRows {
  static final String DEPS = "taskflow_job_deps";
  private static final String UNFINISHED = "('awaiting', 'scheduled', 'enqueued', 'processing')";
  private static final int CHUNK = 500;

  private final SqlDialect dialect;
  private final String appendHistory;

  DependencyRows(SqlDialect dialect) {
    this.dialect = dialect;
    this.appendHistory = "history = " + dialect.jsonArrayAppend("history", "?");
  }

  /**
   * Refuses the insert when a parent is neither stored nor one of {@code jobs}. The stored parents
   * stay locked against deletion until the insert commits ({@link SqlDialect#lockKeyShare()}):
   * retention cannot see the uncommitted child that awaits them, so it must skip them instead.
   */
  void checkParents(Connection c, List<NewJob> jobs) throws SQLException {
    Set<UUID> inBatch = new HashSet<>();
    Set<UUID> outside = new HashSet<>();
    for (NewJob n : jobs) inBatch.add(n.id());
    for (NewJob n : jobs) {
      for (UUID p : n.flow().dependsOn()) if (!inBatch.contains(p)) outside.add(p);
    }
    if (outside.isEmpty()) return;
    Set<UUID> stored = new HashSet<>();
    queryInChunks(
        c,
        new ArrayList<>(outside),
        n -> "SELECT id FROM " + JOBS + " WHERE id IN (" + marks(n) + ")" + dialect.lockKeyShare(),
        rs -> stored.add(UUID.fromString(rs.getString(1))));
    for (int i = 0; i < jobs.size(); i++) {
      List<UUID> parents = jobs.get(i).flow().dependsOn();
      for (int k = 0; k < parents.size(); k++) {
        UUID p = parents.get(k);
        if (!inBatch.contains(p) && !stored.contains(p)) {
          throw Dependencies.unknownParent(jobs, i, k);
        }
      }
    }
  }

  /**
   * Links the awaiting jobs just inserted to their parents (a parent that was a duplicate stands
   * for the job holding its key), then resolves those whose parents have all finished.
   */
  void inserted(Connection c, List<NewJob> jobs, InsertOutcome[] out, String serverId, Instant now)
      throws SQLException {
    Map<UUID, UUID> redirect = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (out[i].duplicate()) redirect.put(jobs.get(i).id(), out[i].job().id());
    }
    List<String[]> links = new ArrayList<>();
    List<UUID> children = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (out[i].duplicate() || out[i].job().state() != JobState.AWAITING) continue;
      UUID child = out[i].job().id();
      Set<UUID> seen = new HashSet<>();
      for (UUID p : jobs.get(i).flow().dependsOn()) {
        UUID to = redirect.getOrDefault(p, p);
        if (seen.add(to)) links.add(new String[] {child.toString(), to.toString()});
      }
      children.add(child);
    }
    if (children.isEmpty()) return;
    String row = "(" + dialect.typedParam(dialect.idType()) + ", ";
    row += dialect.typedParam(dialect.idType()) + ")";
    for (List<String[]> chunk : ValuesRows.chunks(links, ValuesRows.chunkSize(2))) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + DEPS
                  + " (child_id, parent_id) VALUES "
                  + ValuesRows.rows(chunk.size(), row)
                  + " ON CONFLICT DO NOTHING")) {
        int i = 1;
        for (String[] l : chunk) {
          ps.setString(i++, l[0]);
          ps.setString(i++, l[1]);
        }
        ps.executeUpdate();
      }
    }
    resolve(c, candidates(c, children), serverId, now);
  }

  /** Resolves up to {@code limit} awaiting jobs whose parents all finished; returns how many. */
  int sweep(Connection c, int limit, String serverId, Instant now) throws SQLException {
    Map<UUID, Candidate> found = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.id, c.parent_failure, c.scheduled_at FROM "
                + JOBS
                + " c WHERE c.state = 'awaiting' AND NOT EXISTS ("
                + parents("c", "p.state IN " + UNFINISHED)
                + ") AND NOT (COALESCE(c.parent_failure, 'cancel') = 'wait' AND EXISTS ("
                + parents("c", "p.state IN ('failed', 'cancelled')")
                + ") AND NOT EXISTS (SELECT 1 FROM "
                + DEPS
                + " d LEFT JOIN "
                + JOBS
                + " p ON p.id = d.parent_id WHERE d.child_id = c.id"
                + " AND (p.id IS NULL OR p.state = 'deleted')))"
                + " ORDER BY c.id LIMIT ?"
                + dialect.lockSkipLocked())) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID id = UUID.fromString(rs.getString(1));
          found.put(id, new Candidate(id, policy(rs.getString(2)), JobRows.instant(rs, 3)));
        }
      }
    }
    return resolve(c, found, serverId, now);
  }

  private static String parents(String child, String where) {
    return "SELECT 1 FROM "
        + DEPS
        + " d JOIN "
        + JOBS
        + " p ON p.id = d.parent_id WHERE d.child_id = "
        + child
        + ".id AND "
        + where;
  }

  private record Candidate(UUID id, ParentFailure policy, Instant scheduledAt) {}

  private Map<UUID, Candidate> candidates(Connection c, List<UUID> ids) throws SQLException {
    Map<UUID, Candidate> out = new LinkedHashMap<>();
    queryInChunks(
        c,
        ids,
        n ->
            "SELECT id, parent_failure, scheduled_at FROM "
                + JOBS
                + " WHERE state = 'awaiting' AND id IN ("
                + marks(n)
                + ")",
        rs -> {
          UUID id = UUID.fromString(rs.getString(1));
          out.put(id, new Candidate(id, policy(rs.getString(2)), JobRows.instant(rs, 3)));
        });
    return out;
  }

  private static ParentFailure policy(String wire) {
    return wire == null ? ParentFailure.CANCEL : ParentFailure.fromWire(wire);
  }

  /** Applies {@link Dependencies#decide} to each candidate; returns how many moved. */
  private int resolve(Connection c, Map<UUID, Candidate> candidates, String serverId, Instant now)
      throws SQLException {
    if (candidates.isEmpty()) return 0;
    Map<UUID, List<JobState>> states = parentStates(c, new ArrayList<>(candidates.keySet()));
    List<NewEvent> events = new ArrayList<>();
    for (Candidate cand : candidates.values()) {
      Dependencies.Outcome o =
          Dependencies.decide(cand.policy(), states.getOrDefault(cand.id(), List.of()));
      if (o == Dependencies.Outcome.WAIT) continue;
      JobState to;
      String reason;
      if (o == Dependencies.Outcome.RELEASE) {
        to = cand.scheduledAt().isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
        reason = Dependencies.PARENTS_FINISHED;
      } else {
        to = JobState.CANCELLED;
        reason = Dependencies.reason(o);
      }
      NewEvent e = move(c, cand, to, reason, serverId, now);
      if (e != null) events.add(e);
    }
    EventLog.append(c, dialect, events, now);
    return events.size();
  }

  private NewEvent move(
      Connection c, Candidate cand, JobState to, String reason, String serverId, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + JOBS
                + " SET state = ?, finished_at = ?, "
                + appendHistory
                + " WHERE id = ? AND state = 'awaiting' RETURNING "
                + JobMeta.COLUMNS)) {
      ps.setString(1, to.wireName());
      if (to.isFinished()) ps.setLong(2, now.toEpochMilli());
      else ps.setNull(2, java.sql.Types.BIGINT);
      ps.setString(3, JobRows.historyJson(to, now, reason, serverId));
      ps.setString(4, cand.id().toString());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null; // another server moved it first
        JobMeta m = JobMeta.read(rs);
        var job = m.stub(to, m.attempt());
        return switch (to) {
          case ENQUEUED -> m.event(JobEvent.ENQUEUED, EventData.enqueued(job, reason));
          case SCHEDULED ->
              m.event(JobEvent.SCHEDULED, EventData.scheduled(job, cand.scheduledAt(), reason));
          default -> m.event(JobEvent.CANCELLED, EventData.cancelled(job, reason));
        };
      }
    }
  }

  /** The parents' states per child; {@code null} for a parent no longer stored. */
  private Map<UUID, List<JobState>> parentStates(Connection c, List<UUID> children)
      throws SQLException {
    Map<UUID, List<JobState>> out = new HashMap<>();
    queryInChunks(
        c,
        children,
        n ->
            "SELECT d.child_id, p.state FROM "
                + DEPS
                + " d LEFT JOIN "
                + JOBS
                + " p ON p.id = d.parent_id WHERE d.child_id IN ("
                + marks(n)
                + ")",
        rs -> {
          String s = rs.getString(2);
          out.computeIfAbsent(UUID.fromString(rs.getString(1)), k -> new ArrayList<>())
              .add(s == null ? null : JobRows.state(s));
        });
    return out;
  }

  /** Deletes the links of children that retention deleted, in its transaction. */
  static void childrenDeleted(Connection c, List<UUID> children) throws SQLException {
    inChunks(
        c,
        children,
        n -> "DELETE FROM " + DEPS + " WHERE child_id IN (" + marks(n) + ")",
        PreparedStatement::executeUpdate);
  }

  /** Work on a statement whose id parameters are bound. */
  @FunctionalInterface
  private interface Bound {
    void run(PreparedStatement ps) throws SQLException;
  }

  /** Reads one result row. */
  @FunctionalInterface
  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs the statement {@code sql} makes for n id marks over {@code ids} in chunks of {@link
   * #CHUNK}, which keeps every statement within the drivers' parameter limits.
   */
  private static void inChunks(Connection c, List<UUID> ids, IntFunction<String> sql, Bound work)
      throws SQLException {
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.apply(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i).toString());
        work.run(ps);
      }
    }
  }

  /** {@link #inChunks} for a query: hands every row of every chunk to {@code row}. */
  private static void queryInChunks(Connection c, List<UUID> ids, IntFunction<String> sql, Row row)
      throws SQLException {
    inChunks(
        c,
        ids,
        sql,
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) row.read(rs);
          }
        });
  }

  /** The stored children of a job, in id order. */
  static List<UUID> dependents(Connection c, UUID parent, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT d.child_id FROM "
                + DEPS
                + " d JOIN "
                + JOBS
                + " k ON k.id = d.child_id WHERE d.parent_id = ? ORDER BY d.child_id LIMIT ?")) {
      ps.setString(1, parent.toString());
      ps.setInt(2, limit);
      List<UUID> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(UUID.fromString(rs.getString(1)));
      }
      return out;
    }
  }

  /**
   * A predicate on a job row aliased {@code alias}: no awaiting job depends on it. Retention keeps
   * such parents, so a waiting child always finds its parent's last state.
   */
  static String noAwaitingChild(String alias) {
    return "NOT EXISTS (SELECT 1 FROM "
        + DEPS
        + " dd JOIN "
        + JOBS
        + " kk ON kk.id = dd.child_id WHERE dd.parent_id = "
        + alias
        + ".id AND kk.state = 'awaiting')";
  }
}
