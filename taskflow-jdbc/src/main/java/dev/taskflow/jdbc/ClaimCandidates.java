package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.Job;
import dev.taskflow.spi.JobClaimParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the ids a claim takes, in claim order (priority descending, then scheduledAt, then id),
 * from the partial index of enqueued rows. Capped types ({@link JobClaimParams#typeLimits()}) get
 * their own limited select each; the uncapped ones share one; the merge keeps the global order.
 */
final class ClaimCandidates {
  /** Claim order of jobs; ids compare as their canonical text, as in SQL. */
  static final Comparator<Job> ORDER =
      Comparator.comparingInt(Job::priority)
          .reversed()
          .thenComparing(Job::scheduledAt)
          .thenComparing(j -> j.id().toString());

  private static final Comparator<Candidate> CANDIDATE_ORDER =
      Comparator.comparingInt(Candidate::priority)
          .reversed()
          .thenComparingLong(Candidate::scheduledAt)
          .thenComparing(Candidate::id);

  private record Candidate(String id, int priority, long scheduledAt) {}

  private ClaimCandidates() {}

  static List<String> select(Connection c, SqlDialect dialect, JobClaimParams p)
      throws SQLException {
    Set<String> types = p.types();
    Map<String, Integer> caps = p.typeLimits();
    List<Candidate> all = new ArrayList<>();
    if (caps.isEmpty()) {
      query(c, dialect, p.queue(), types, Set.of(), null, p.max(), all);
      return ids(all, p.max());
    }
    // Uncapped types: the allowed ones (or any) minus the capped ones.
    Set<String> uncapped = new LinkedHashSet<>(types);
    uncapped.removeAll(caps.keySet());
    if (types.isEmpty() || !uncapped.isEmpty()) {
      query(c, dialect, p.queue(), uncapped, caps.keySet(), null, p.max(), all);
    }
    for (Map.Entry<String, Integer> cap : caps.entrySet()) {
      if (cap.getValue() <= 0 || (!types.isEmpty() && !types.contains(cap.getKey()))) continue;
      query(
          c,
          dialect,
          p.queue(),
          Set.of(),
          Set.of(),
          cap.getKey(),
          Math.min(cap.getValue(), p.max()),
          all);
    }
    all.sort(CANDIDATE_ORDER);
    return ids(all, p.max());
  }

  private static List<String> ids(List<Candidate> all, int max) {
    List<String> out = new ArrayList<>(Math.min(max, all.size()));
    for (int i = 0; i < all.size() && i < max; i++) out.add(all.get(i).id());
    return out;
  }

  private static void query(
      Connection c,
      SqlDialect dialect,
      String queue,
      Set<String> onlyTypes,
      Set<String> notTypes,
      String type,
      int limit,
      List<Candidate> into)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, priority, scheduled_at FROM "
                + JOBS
                + " WHERE state = 'enqueued' AND queue = ?");
    if (!onlyTypes.isEmpty())
      sql.append(" AND type IN (").append(marks(onlyTypes.size())).append(')');
    if (!notTypes.isEmpty())
      sql.append(" AND type NOT IN (").append(marks(notTypes.size())).append(')');
    if (type != null) sql.append(" AND type = ?");
    sql.append(" ORDER BY priority DESC, scheduled_at, id LIMIT ?")
        .append(dialect.lockSkipLocked());
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, queue);
      for (String t : onlyTypes) ps.setString(i++, t);
      for (String t : notTypes) ps.setString(i++, t);
      if (type != null) ps.setString(i++, type);
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) into.add(new Candidate(rs.getString(1), rs.getInt(2), rs.getLong(3)));
      }
    }
  }
}
