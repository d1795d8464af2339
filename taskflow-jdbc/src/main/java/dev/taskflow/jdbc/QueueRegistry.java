package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COUNTS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.QUEUES;
import static dev.taskflow.jdbc.JobRows.SERVERS;
import static dev.taskflow.jdbc.JobRows.setMillis;

import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.QueueStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;

/**
 * Queues (pause flags, depth per state from the counters table), job counts and the servers table.
 * Nothing here counts job rows: the counters are kept by the schema with every change.
 */
final class QueueRegistry {
  private static final TypeReference<LinkedHashMap<String, Integer>> QUEUE_MAP =
      new TypeReference<>() {};

  private final SqlDialect dialect;

  QueueRegistry(SqlDialect dialect) {
    this.dialect = dialect;
  }

  int setPaused(Connection c, String queue, boolean paused) throws SQLException {
    return upsert(c, queue, "paused", (ps, i) -> ps.setBoolean(i, paused));
  }

  /** Binds one value at a statement's parameter index. */
  @FunctionalInterface
  interface Bind {
    void at(PreparedStatement ps, int index) throws SQLException;
  }

  /**
   * Sets one column of {@code queue}'s row, adding the row (not paused, unbounded) when there is
   * none: the one write behind pausing, resuming and bounding a queue.
   */
  static int upsert(Connection c, String queue, String column, Bind value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + QUEUES
                + " (name, "
                + column
                + ") VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                + column
                + " = excluded."
                + column)) {
      ps.setString(1, queue);
      value.at(ps, 2);
      return ps.executeUpdate();
    }
  }

  List<QueueStats> stats(Connection c) throws SQLException {
    Map<String, Map<JobState, Long>> counts = new TreeMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT queue, state, n FROM " + COUNTS + " WHERE n > 0");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts
            .computeIfAbsent(rs.getString(1), q -> zeroCounts())
            .put(JobRows.state(rs.getString(2)), rs.getLong(3));
      }
    }
    Set<String> paused = new LinkedHashSet<>();
    Map<String, Integer> maxDepths = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, paused, max_depth FROM "
                + QUEUES
                + " WHERE paused = ? OR max_depth IS NOT NULL")) {
      ps.setBoolean(1, true);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(2)) paused.add(rs.getString(1));
          int max = rs.getInt(3);
          if (!rs.wasNull()) maxDepths.put(rs.getString(1), max);
        }
      }
    }
    paused.forEach(q -> counts.computeIfAbsent(q, k -> zeroCounts()));
    maxDepths.keySet().forEach(q -> counts.computeIfAbsent(q, k -> zeroCounts()));
    List<QueueStats> out = new ArrayList<>();
    for (Map.Entry<String, Map<JobState, Long>> e : counts.entrySet()) {
      Instant oldest =
          e.getValue().getOrDefault(JobState.ENQUEUED, 0L) > 0
              ? oldestEnqueued(c, e.getKey())
              : null;
      out.add(
          new QueueStats(
              e.getKey(),
              e.getValue(),
              oldest,
              paused.contains(e.getKey()),
              maxDepths.get(e.getKey())));
    }
    return out;
  }

  /**
   * The earliest scheduledAt among a queue's enqueued jobs. The claim index leads with priority, so
   * this walks the distinct priorities (at most 201) and takes the first entry of each: index seeks
   * only, never a scan of the backlog.
   */
  private Instant oldestEnqueued(Connection c, String queue) throws SQLException {
    String enq = " FROM " + JOBS + " WHERE state = 'enqueued' AND queue = ?";
    String sql =
        "WITH RECURSIVE p(pr) AS (SELECT max(priority)"
            + enq
            + " UNION ALL SELECT (SELECT max(priority)"
            + enq
            + " AND priority < p.pr) FROM p WHERE p.pr IS NOT NULL)"
            + " SELECT min((SELECT min(scheduled_at)"
            + enq
            + " AND priority = p.pr)) FROM p WHERE p.pr IS NOT NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      ps.setString(3, queue);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JobRows.instant(rs, 1) : null;
      }
    }
  }

  /** Every state with 0, so readers need no null checks. */
  private static Map<JobState, Long> zeroCounts() {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, 0L);
    return m;
  }

  Map<JobState, Long> countByState(Connection c) throws SQLException {
    Map<JobState, Long> out = zeroCounts();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT state, sum(n) FROM " + COUNTS + " GROUP BY state");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(JobRows.state(rs.getString(1)), rs.getLong(2));
    }
    return out;
  }

  int heartbeat(Connection c, ServerInfo s, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + SERVERS
                + " (id, host, started_at, last_heartbeat_at, queues, running)"
                + " VALUES (?, ?, ?, ?, "
                + dialect.jsonParam()
                + ", ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host,"
                + " started_at = excluded.started_at,"
                + " last_heartbeat_at = excluded.last_heartbeat_at,"
                + " queues = excluded.queues, running = excluded.running")) {
      ps.setString(1, s.id());
      ps.setString(2, s.host());
      setMillis(ps, 3, s.startedAt());
      ps.setLong(4, now.toEpochMilli());
      ps.setString(5, JobCodec.MAPPER.writeValueAsString(new TreeMap<>(s.queues())));
      ps.setInt(6, s.running());
      return ps.executeUpdate();
    }
  }

  List<ServerInfo> servers(Connection c, Instant since) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, host, started_at, last_heartbeat_at, queues, running FROM "
                + SERVERS
                + " WHERE last_heartbeat_at >= ? ORDER BY id")) {
      ps.setLong(1, since.toEpochMilli());
      List<ServerInfo> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ServerInfo(
                  rs.getString(1),
                  rs.getString(2),
                  JobRows.instant(rs, 3),
                  JobRows.instant(rs, 4),
                  JobCodec.MAPPER.readValue(rs.getString(5), QUEUE_MAP),
                  rs.getInt(6)));
        }
      }
      return out;
    }
  }

  int remove(Connection c, String serverId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SERVERS + " WHERE id = ?")) {
      ps.setString(1, serverId);
      return ps.executeUpdate();
    }
  }
}
