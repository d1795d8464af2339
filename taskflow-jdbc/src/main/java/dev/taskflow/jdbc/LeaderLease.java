package dev.taskflow.jdbc;

import dev.taskflow.spi.LeaderParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Named leaderships in the {@code taskflow_leaders} table: one row per name with its owner and
 * expiry on the store clock. Taking or renewing is one upsert that changes the row only when the
 * caller already owns it or its expiry has passed, so two servers never both hold a live lease.
 */
final class LeaderLease {
  static final String TABLE = "taskflow_leaders";

  private LeaderLease() {}

  /** True when {@code p.owner()} holds the leadership until {@code now + ttl} afterwards. */
  static boolean tryAcquire(Connection c, LeaderParams p, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (name, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " owner = excluded.owner, expires_at = excluded.expires_at WHERE "
                + TABLE
                + ".owner = excluded.owner OR "
                + TABLE
                + ".expires_at < ? RETURNING owner")) {
      ps.setString(1, p.name());
      ps.setString(2, p.owner());
      ps.setLong(3, now.plus(p.ttl()).toEpochMilli());
      ps.setLong(4, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && p.owner().equals(rs.getString(1));
      }
    }
  }

  /** Gives the leadership up if {@code owner} holds it. */
  static int release(Connection c, String name, String owner) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ? AND owner = ?")) {
      ps.setString(1, name);
      ps.setString(2, owner);
      return ps.executeUpdate();
    }
  }
}
