package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobClaimParams;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the sub-select of the ids a claim takes, in claim order (priority descending, then
 * scheduledAt, then id), from the partial index of enqueued rows, so that the claim is one {@code
 * UPDATE .. WHERE id IN (<this>) RETURNING ..}. Capped types ({@link JobClaimParams#typeLimits()})
 * get their own limited select each and the uncapped ones share one; the outer select merges them
 * in the global order. Each select carries the dialect's {@code FOR UPDATE SKIP LOCKED}.
 */
final class ClaimCandidates {
  /** Claim order of jobs; ids compare as their canonical text, as in SQL. */
  static final Comparator<Job> ORDER =
      Comparator.comparingInt(Job::priority)
          .reversed()
          .thenComparing(Job::scheduledAt)
          .thenComparing(j -> j.id().toString());

  private static final String CLAIM_ORDER = " ORDER BY priority DESC, scheduled_at, id LIMIT ?";

  /** A sub-select and its arguments, in order. */
  record Select(String sql, List<Object> args) {}

  private ClaimCandidates() {}

  /**
   * The claim's UPDATE up to its WHERE (which goes on after {@code AND}): an enqueued job becomes
   * processing under the claimer's lease, with one more attempt and a history entry. {@link
   * #bindLease} binds its four parameters.
   */
  static String markProcessing(SqlDialect dialect) {
    return "UPDATE "
        + JOBS
        + " SET state = 'processing', attempt = attempt + 1, lease_owner = ?,"
        + " lease_expires_at = ?, started_at = ?, history = "
        + dialect.jsonArrayAppend("history", "?")
        + " WHERE state = 'enqueued' AND ";
  }

  /** Binds the parameters of {@link #markProcessing}; returns the index of the next one. */
  static int bindLease(PreparedStatement ps, JobClaimParams p, Instant now) throws SQLException {
    ps.setString(1, p.leaseOwner());
    ps.setLong(2, now.plus(p.leaseDuration()).toEpochMilli());
    ps.setLong(3, now.toEpochMilli());
    ps.setString(4, JobRows.historyJson(JobState.PROCESSING, now, "claimed", p.leaseOwner()));
    return 5;
  }

  /**
   * The select of at most {@code p.max()} ids, or null when nothing may be claimed. Jobs past their
   * start deadline at {@code now} that never started are skipped.
   */
  static Select select(SqlDialect dialect, JobClaimParams p, Instant now) {
    Set<String> types = p.types();
    Map<String, Integer> caps = p.typeLimits();
    List<Object> args = new ArrayList<>();
    if (caps.isEmpty()) {
      String sql = one(dialect, now, "id", p, types, Set.of(), null, p.max(), args);
      return new Select(sql, args);
    }
    List<String> parts = new ArrayList<>();
    String cols = "id, priority, scheduled_at";
    // Uncapped types: the allowed ones (or any) minus the capped ones.
    Set<String> uncapped = new LinkedHashSet<>(types);
    uncapped.removeAll(caps.keySet());
    if (types.isEmpty() || !uncapped.isEmpty()) {
      parts.add(one(dialect, now, cols, p, uncapped, caps.keySet(), null, p.max(), args));
    }
    for (Map.Entry<String, Integer> cap : caps.entrySet()) {
      if (cap.getValue() <= 0 || (!types.isEmpty() && !types.contains(cap.getKey()))) continue;
      parts.add(
          one(
              dialect,
              now,
              cols,
              p,
              Set.of(),
              Set.of(),
              cap.getKey(),
              Math.min(cap.getValue(), p.max()),
              args));
    }
    if (parts.isEmpty()) return null;
    StringBuilder sql = new StringBuilder("SELECT id FROM (");
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) sql.append(" UNION ALL ");
      sql.append("SELECT * FROM (").append(parts.get(i)).append(") AS c").append(i);
    }
    sql.append(") AS c").append(CLAIM_ORDER);
    args.add(p.max());
    return new Select(sql.toString(), args);
  }

  private static String one(
      SqlDialect dialect,
      Instant now,
      String columns,
      JobClaimParams p,
      Set<String> onlyTypes,
      Set<String> notTypes,
      String type,
      int limit,
      List<Object> args) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + columns
                + " FROM "
                + JOBS
                + " WHERE state = 'enqueued' AND queue = ? AND "
                + JobExpiry.NOT_EXPIRED);
    args.add(p.queue());
    args.add(now.toEpochMilli());
    if (p.excludedTypePrefix() != null) {
      sql.append(
          " AND type NOT LIKE ?"); // the prefix has no LIKE wildcards (checked by the params)
      args.add(p.excludedTypePrefix() + "%");
    }
    if (!onlyTypes.isEmpty()) {
      sql.append(" AND type IN (").append(marks(onlyTypes.size())).append(')');
      args.addAll(onlyTypes);
    }
    if (!notTypes.isEmpty()) {
      sql.append(" AND type NOT IN (").append(marks(notTypes.size())).append(')');
      args.addAll(notTypes);
    }
    if (type != null) {
      sql.append(" AND type = ?");
      args.add(type);
    }
    sql.append(CLAIM_ORDER).append(dialect.lockSkipLocked());
    args.add(limit);
    return sql.toString();
  }
}
