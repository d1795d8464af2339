package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COUNTS;
import static dev.taskflow.jdbc.JobRows.QUEUES;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.QueueFullException;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Queue depth bounds (backpressure). Before a batch is inserted, the rows of its bounded queues in
 * {@code taskflow_queues} are locked ({@code FOR NO KEY UPDATE} on PostgreSQL; SQLite has one
 * writer), so concurrent inserts into one bounded queue take turns and the bound is exact. After
 * the insert, in the same transaction, the queue's waiting jobs are read from the counters; a batch
 * that took a queue past its bound throws, and the transaction rolls back: nothing is written.
 * Inserts into unbounded queues take no lock.
 */
final class QueueBounds {
  private static final String WAITING = "state IN ('enqueued', 'scheduled', 'awaiting')";

  private final SqlDialect dialect;

  QueueBounds(SqlDialect dialect) {
    this.dialect = dialect;
  }

  int setMaxDepth(Connection c, String queue, Integer maxDepth) throws SQLException {
    return QueueRegistry.upsert(
        c,
        queue,
        "max_depth",
        (ps, i) -> {
          if (maxDepth == null) ps.setNull(i, Types.INTEGER);
          else ps.setInt(i, maxDepth);
        });
  }

  /** Locks the bounded queues among the batch's; returns their bounds by queue. */
  Map<String, Integer> lock(Connection c, List<NewJob> jobs) throws SQLException {
    Set<String> names = new TreeSet<>();
    for (NewJob j : jobs) if (j.queue() != null) names.add(j.queue());
    Map<String, Integer> out = new LinkedHashMap<>();
    if (names.isEmpty()) return out;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, max_depth FROM "
                + QUEUES
                + " WHERE name IN ("
                + marks(names.size())
                + ") AND max_depth IS NOT NULL ORDER BY name"
                + dialect.lockForUpdate())) {
      int i = 1;
      for (String n : names) ps.setString(i++, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  /** Throws when the inserted jobs took a bounded queue past its bound (the caller rolls back). */
  void check(Connection c, Map<String, Integer> bounds, List<InsertOutcome> outcomes)
      throws SQLException {
    if (bounds.isEmpty()) return;
    Map<String, Integer> added = new LinkedHashMap<>();
    for (InsertOutcome o : outcomes) {
      if (!o.duplicate() && bounds.containsKey(o.job().queue())) {
        added.merge(o.job().queue(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : added.entrySet()) {
      long depth = waiting(c, e.getKey());
      int max = bounds.get(e.getKey());
      if (depth > max) {
        throw new QueueFullException(
            e.getKey(),
            depth - e.getValue(),
            max,
            e.getValue(),
            QueueFullException.DEFAULT_RETRY_AFTER);
      }
    }
  }

  /**
   * Locks the queue's row as {@link #lock} does and throws when one more waiting job (a manual
   * retry) would take a bounded queue past its bound. Nothing is written.
   */
  /**
   * Locks the row of {@code queue} when it is bounded (PostgreSQL), checking nothing: for writers
   * that must take the queue's lock before any job row, the order every enqueue takes them in.
   */
  void lockRow(Connection c, String queue) throws SQLException {
    String lock = dialect.lockForUpdate();
    if (lock.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM " + QUEUES + " WHERE name = ? AND max_depth IS NOT NULL" + lock)) {
      ps.setString(1, queue);
      ps.executeQuery().close();
    }
  }

  void checkRoomForOne(Connection c, String queue) throws SQLException {
    Integer max = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT max_depth FROM "
                + QUEUES
                + " WHERE name = ? AND max_depth IS NOT NULL"
                + dialect.lockForUpdate())) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) max = rs.getInt(1);
      }
    }
    if (max == null) return;
    long depth = waiting(c, queue);
    if (depth + 1 > max) {
      throw new QueueFullException(queue, depth, max, 1, QueueFullException.DEFAULT_RETRY_AFTER);
    }
  }

  private static long waiting(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(sum(n), 0) FROM " + COUNTS + " WHERE queue = ? AND " + WAITING)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
