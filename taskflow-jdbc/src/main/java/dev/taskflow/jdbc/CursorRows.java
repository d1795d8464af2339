package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.EVENTS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Durable cursors over the event log in {@code taskflow_cursors}: one row per name with the last
 * sequence handled. Advancing is a compare-and-set update, so it runs in the same transaction as
 * the jobs it enqueues and two advancers from one position cannot both win.
 */
final class CursorRows {
  static final String TABLE = "taskflow_cursors";

  private CursorRows() {}

  static OptionalLong get(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT position FROM " + TABLE + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /** Creates the cursor at the newest event's sequence unless it exists; returns its position. */
  static long create(Connection c, String name, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (name, position, updated_at) SELECT ?, COALESCE(MAX(seq), 0), ? FROM "
                + EVENTS
                + " WHERE true ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, name);
      ps.setLong(2, now.toEpochMilli());
      ps.executeUpdate();
    }
    return get(c, name).orElseThrow(() -> new SQLException("cursor " + name + " vanished"));
  }

  /** Moves the cursor only if it is at {@code expected}; true when it moved. */
  static boolean compareAndSet(Connection c, String name, long expected, long next, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + TABLE
                + " SET position = ?, updated_at = ? WHERE name = ? AND position = ?")) {
      ps.setLong(1, next);
      ps.setLong(2, now.toEpochMilli());
      ps.setString(3, name);
      ps.setLong(4, expected);
      return ps.executeUpdate() == 1;
    }
  }
}
