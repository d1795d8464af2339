package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COLUMNS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.QUEUES;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.LimitPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The claim of a queue that limits apply to, in the claim's transaction:
 *
 * <ol>
 *   <li>take the dialect's locks on the applicable limits ({@link SqlDialect#lockLimits}), so that
 *       claimers of the same limits run one at a time until commit (SQLite has one writer anyway);
 *   <li>count processing jobs and recent starts per bucket, pruning starts that no longer count;
 *   <li>read the candidate window ({@link LimitPlanner}: at most {@code max} per (type, owner,
 *       concurrency key), round-robin between owners when an owner limit applies);
 *   <li>pick what fits ({@link LimitPlanner#plan}), mark those processing, record their starts.
 * </ol>
 *
 * <p>The limits themselves are cached for {@link #RELOAD_NANOS} (and reloaded at once after a
 * change made through this store), so a queue no limit applies to keeps the plain one-statement
 * claim.
 */
final class LimitedClaim {
  static final long RELOAD_NANOS = 1_000_000_000L;

  private final SqlDialect dialect;
  private final ReentrantLock reload = new ReentrantLock();
  private volatile List<FlowLimit> cached = List.of();
  private volatile long loadedAt;
  private volatile boolean stale = true;

  LimitedClaim(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /** Makes the next claim reload the limits (after a change through this store). */
  void invalidate() {
    stale = true;
  }

  /** The limits that apply to this claim; reloads them first when the cache is old. */
  List<FlowLimit> applicable(Connection c, JobClaimParams p) throws SQLException {
    if (stale || System.nanoTime() - loadedAt > RELOAD_NANOS) {
      reload.lock();
      try {
        if (stale || System.nanoTime() - loadedAt > RELOAD_NANOS) {
          stale = false;
          cached = LimitRows.list(c);
          loadedAt = System.nanoTime();
        }
      } finally {
        reload.unlock();
      }
    }
    List<FlowLimit> all = cached;
    return all.isEmpty() ? List.of() : LimitPlanner.applicable(all, p);
  }

  /** The jobs claimed and the store time they were claimed at. */
  record Claimed(List<Job> jobs, Instant now) {}

  /**
   * Claims under the limits; the caller appends the events of the returned jobs. {@code clock}
   * reads the store's time once the locks are held and the candidates read (a claimer may wait for
   * the locks), so that starts are recorded in the order the limits saw them and never before the
   * jobs they start were enqueued.
   */
  Claimed claim(
      Connection c, JobClaimParams p, List<FlowLimit> limits, JdbcStorage.SqlWork<Instant> clock)
      throws SQLException {
    dialect.lockLimits(c, limits.stream().map(FlowLimit::name).toList());
    if (paused(c, p.queue())) return new Claimed(List.of(), null);
    Map<UUID, Long> deadlines = new HashMap<>();
    List<LimitPlanner.Candidate> window = window(c, p, LimitPlanner.ownerFair(limits), deadlines);
    if (window.isEmpty()) return new Claimed(List.of(), null);
    Instant now = clock.run(c);
    // A job past its start deadline never starts (mark skips it): it must not take a place, or a
    // rate start, from the jobs behind it in the plan.
    window.removeIf(
        w -> deadlines.containsKey(w.id()) && deadlines.get(w.id()) <= now.toEpochMilli());
    LimitPlanner.Usage usage = new LimitPlanner.Usage();
    for (FlowLimit l : limits) {
      if (l.maxRunning() != null) {
        LimitRows.running(c, l).forEach((b, n) -> usage.addRunning(l.name(), b, n));
      }
      if (l.hasRate()) {
        LimitRows.pruneStarts(c, l, now);
        LimitRows.recentStarts(c, l, now).forEach((b, n) -> usage.addRecent(l.name(), b, n));
      }
    }
    LimitPlanner.Plan plan = LimitPlanner.plan(limits, window, p, usage);
    if (plan.picked().isEmpty()) return new Claimed(List.of(), now);
    List<Job> claimed = mark(c, p, plan.picked(), now);
    List<String[]> starts = new ArrayList<>();
    for (Job j : claimed) {
      for (LimitPlanner.Start s : plan.startsOf(j.id())) {
        starts.add(new String[] {s.limit(), s.bucket()});
      }
    }
    LimitRows.insertStarts(c, starts, now);
    return new Claimed(claimed, now);
  }

  private static boolean paused(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT paused FROM " + QUEUES + " WHERE name = ?")) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * The candidate window; {@code deadlines} receives the start deadline (epoch ms) of each
   * candidate that has one and never started.
   */
  private List<LimitPlanner.Candidate> window(
      Connection c, JobClaimParams p, boolean ownerFair, Map<UUID, Long> deadlines)
      throws SQLException {
    // This ranks every enqueued job of the queue (see docs/limits.md). The limited index
    // (queue, owner, type, concurrency key, claim order) holds every column read, in the order of
    // the per-combination ranking, so that ranking needs no sort, and the owner ranking (only in an
    // owner-fair queue) sorts within each owner.
    String order = "priority DESC, scheduled_at, id";
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, type, owner, concurrency_key, CASE WHEN started_at IS NULL THEN start_by"
                + " END FROM (SELECT id, type, owner, concurrency_key, priority, scheduled_at,"
                + " start_by, started_at, row_number() OVER (PARTITION BY"
                + " owner, type, concurrency_key ORDER BY "
                + order
                + ") AS rn_part"
                + (ownerFair
                    ? ", row_number() OVER (PARTITION BY owner ORDER BY " + order + ") AS rn_owner"
                    : "")
                + " FROM "
                + JOBS
                + " WHERE state = 'enqueued' AND queue = ?");
    List<String> args = new ArrayList<>();
    args.add(p.queue());
    if (!p.types().isEmpty()) {
      sql.append(" AND type IN (").append(marks(p.types().size())).append(')');
      args.addAll(p.types());
    }
    if (p.excludedTypePrefix() != null) {
      sql.append(
          " AND type NOT LIKE ?"); // the prefix has no LIKE wildcards (checked by the params)
      args.add(p.excludedTypePrefix() + "%");
    }
    sql.append(") AS c WHERE rn_part <= ? ORDER BY ")
        .append(ownerFair ? "rn_owner, " : "")
        .append(order)
        .append(" LIMIT ?");
    List<LimitPlanner.Candidate> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String a : args) ps.setString(i++, a);
      ps.setInt(i++, p.max());
      ps.setInt(i, LimitPlanner.window(p.max()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID id = UUID.fromString(rs.getString(1));
          out.add(
              new LimitPlanner.Candidate(id, rs.getString(2), rs.getString(3), rs.getString(4)));
          long startBy = rs.getLong(5);
          if (!rs.wasNull()) deadlines.put(id, startBy);
        }
      }
    }
    return out;
  }

  /**
   * Marks the picked jobs processing (those still enqueued: a claimer no limit applied to may have
   * taken one meanwhile) and returns them in the order picked.
   */
  private List<Job> mark(Connection c, JobClaimParams p, List<UUID> ids, Instant now)
      throws SQLException {
    Map<UUID, Job> byId = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            ClaimCandidates.markProcessing(dialect)
                + JobExpiry.NOT_EXPIRED
                + " AND id IN ("
                + marks(ids.size())
                + ") RETURNING "
                + COLUMNS)) {
      int i = ClaimCandidates.bindLease(ps, p, now);
      ps.setLong(i++, now.toEpochMilli()); // jobs past their start deadline never start
      for (UUID id : ids) ps.setString(i++, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Job j = JobRows.job(rs);
          byId.put(j.id(), j);
        }
      }
    }
    List<Job> out = new ArrayList<>(byId.size());
    for (UUID id : ids) {
      Job j = byId.get(id);
      if (j != null) out.add(j);
    }
    return out;
  }
}
