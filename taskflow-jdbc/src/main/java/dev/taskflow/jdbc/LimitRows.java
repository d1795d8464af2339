package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;

import dev.taskflow.FlowLimit;
import dev.taskflow.LimitUsage;
import dev.taskflow.spi.LimitCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Limits in {@code taskflow_limits} (name, spec as JSON, updated_at) and the starts counted against
 * their rates in {@code taskflow_rate_log} (limit_name, bucket, at), plus the counts a limited
 * claim reads: processing jobs per bucket and starts per bucket within the rate period.
 */
final class LimitRows {
  static final String LIMITS = "taskflow_limits";
  static final String RATE_LOG = "taskflow_rate_log";

  private LimitRows() {}

  /**
   * Saves (upserts) a limit under the lock its claims take ({@link SqlDialect#lockLimits}), so that
   * a claim in flight under the old spec commits its starts before they are dropped (limit without
   * a rate) and no claim runs between the two.
   */
  static void save(Connection c, SqlDialect dialect, FlowLimit l, Instant now) throws SQLException {
    dialect.lockLimits(c, List.of(l.name()));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + LIMITS
                + " (name, spec, updated_at) VALUES (?, "
                + dialect.jsonParam()
                + ", ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec,"
                + " updated_at = excluded.updated_at")) {
      ps.setString(1, l.name());
      ps.setString(2, LimitCodec.toJson(l));
      ps.setLong(3, now.toEpochMilli());
      ps.executeUpdate();
    }
    if (!l.hasRate()) deleteStarts(c, l.name());
  }

  static Optional<FlowLimit> get(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT name, spec FROM " + LIMITS + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static List<FlowLimit> list(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT name, spec FROM " + LIMITS + " ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<FlowLimit> out = new ArrayList<>();
      while (rs.next()) out.add(read(rs));
      return out;
    }
  }

  /**
   * Deletes a limit and its starts under the lock its claims take: a claim in flight commits its
   * starts first and they go too, so a limit saved again under the name starts from none.
   */
  static boolean delete(Connection c, SqlDialect dialect, String name) throws SQLException {
    dialect.lockLimits(c, List.of(name));
    deleteStarts(c, name);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + LIMITS + " WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  private static void deleteStarts(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + RATE_LOG + " WHERE limit_name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
  }

  private static FlowLimit read(ResultSet rs) throws SQLException {
    return LimitCodec.fromJson(rs.getString(1), rs.getString(2));
  }

  static Optional<LimitUsage> usage(Connection c, String name, Instant now) throws SQLException {
    Optional<FlowLimit> l = get(c, name);
    if (l.isEmpty()) return Optional.empty();
    Map<String, Long> recent = l.get().hasRate() ? recentStarts(c, l.get(), now) : Map.of();
    return Optional.of(new LimitUsage(name, running(c, l.get()), recent));
  }

  /** Processing jobs per bucket of the limit. */
  static Map<String, Long> running(Connection c, FlowLimit l) throws SQLException {
    String bucket =
        switch (l.scope()) {
          case GLOBAL -> null;
          case OWNER -> "owner";
          case KEY -> "concurrency_key";
        };
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(bucket == null ? "" : bucket + ", ")
            .append("count(*) FROM ")
            .append(JOBS)
            .append(" WHERE state = 'processing'");
    List<String> args = new ArrayList<>();
    if (l.type() != null) {
      sql.append(" AND type = ?");
      args.add(l.type());
    }
    if (l.queue() != null) {
      sql.append(" AND queue = ?");
      args.add(l.queue());
    }
    if (l.scope() == FlowLimit.Scope.KEY) sql.append(" AND concurrency_key IS NOT NULL");
    if (bucket != null) sql.append(" GROUP BY ").append(bucket);
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (bucket == null) {
            if (rs.getLong(1) > 0) out.put("", rs.getLong(1));
          } else {
            String b = rs.getString(1);
            out.merge(b == null ? "" : b, rs.getLong(2), Long::sum);
          }
        }
      }
    }
    return out;
  }

  /**
   * Starts per bucket after {@code now - ratePeriod}: a range of the (limit, at, bucket) index, so
   * it reads only the starts inside the window, whatever the limit's buckets.
   */
  static Map<String, Long> recentStarts(Connection c, FlowLimit l, Instant now)
      throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT bucket, count(*) FROM "
                + RATE_LOG
                + " WHERE limit_name = ? AND at > ? GROUP BY bucket")) {
      ps.setString(1, l.name());
      ps.setLong(2, now.minus(l.ratePeriod()).toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /**
   * Drops the starts that no longer count: at or before {@code now - ratePeriod}, a range of the
   * same index (it reads only the starts it deletes).
   */
  static void pruneStarts(Connection c, FlowLimit l, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + RATE_LOG + " WHERE limit_name = ? AND at <= ?")) {
      ps.setString(1, l.name());
      ps.setLong(2, now.minus(l.ratePeriod()).toEpochMilli());
      ps.executeUpdate();
    }
  }

  /**
   * Records starts (limit name, bucket) at {@code now}, for limits that still exist: a claimer's
   * cached list may hold a limit deleted since (by another server, within the cache's second), and
   * its starts must not count against a limit saved again under that name. The claim holds the
   * limit's lock, so the delete has committed before this statement or waits for its commit.
   */
  static void insertStarts(Connection c, List<String[]> starts, Instant now) throws SQLException {
    if (starts.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + RATE_LOG
                + " (limit_name, bucket, at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM "
                + LIMITS
                + " WHERE name = ?)")) {
      for (String[] s : starts) {
        ps.setString(1, s[0]);
        ps.setString(2, s[1]);
        ps.setLong(3, now.toEpochMilli());
        ps.setString(4, s[0]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
