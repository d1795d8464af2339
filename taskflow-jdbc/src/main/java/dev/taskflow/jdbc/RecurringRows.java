package dev.taskflow.jdbc;

import dev.taskflow.spi.RecurringFireParams;
import dev.taskflow.spi.RecurringListParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringSaveParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Recurring schedules in {@code taskflow_recurring}: the definition as JSON ({@code spec}), the
 * paused flag, and the fire state the scheduler moves by compare-and-set on {@code next_fire_at}.
 */
final class RecurringRows {
  static final String TABLE = "taskflow_recurring";
  private static final String COLUMNS =
      "id, spec, paused, next_fire_at, last_fire_at, last_job_id, runs, created_at, updated_at";

  private final SqlDialect dialect;

  RecurringRows(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /** Inserts or replaces the definition, paused flag and next fire; true when it was new. */
  boolean save(Connection c, RecurringSaveParams p, Instant now) throws SQLException {
    boolean existed;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE id = ?" + dialect.lockForUpdate())) {
      ps.setString(1, p.id());
      try (ResultSet rs = ps.executeQuery()) {
        existed = rs.next();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (id, spec, paused, next_fire_at, runs, created_at, updated_at) VALUES (?, "
                + dialect.jsonParam()
                + ", ?, ?, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET spec = excluded.spec,"
                + " paused = excluded.paused, next_fire_at = excluded.next_fire_at,"
                + " updated_at = excluded.updated_at")) {
      ps.setString(1, p.id());
      ps.setString(2, p.specJson());
      ps.setBoolean(3, p.paused());
      setMillis(ps, 4, p.nextFireAt());
      ps.setLong(5, now.toEpochMilli());
      ps.setLong(6, now.toEpochMilli());
      ps.executeUpdate();
    }
    return !existed;
  }

  Optional<RecurringRecord> get(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  List<RecurringRecord> list(Connection c, RecurringListParams p) throws SQLException {
    String where = p.afterId() == null ? "" : " WHERE id > ?";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM " + TABLE + where + " ORDER BY id LIMIT ?")) {
      int i = 1;
      if (p.afterId() != null) ps.setString(i++, p.afterId());
      ps.setInt(i, p.limit());
      return readAll(ps);
    }
  }

  boolean delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    }
  }

  List<RecurringRecord> due(Connection c, Instant until, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + TABLE
                + " WHERE paused = ? AND next_fire_at IS NOT NULL AND next_fire_at <= ?"
                + " ORDER BY next_fire_at, id LIMIT ?")) {
      ps.setBoolean(1, false);
      ps.setLong(2, until.toEpochMilli());
      ps.setInt(3, limit);
      return readAll(ps);
    }
  }

  /**
   * Moves the next fire time if it is still the one the caller read (the compare-and-set of a
   * fire); false, with nothing changed, when it is not. Concurrent firers queue on the row lock and
   * then see the moved value.
   */
  boolean advance(Connection c, RecurringFireParams p, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + TABLE
                + " SET next_fire_at = ?, runs = runs + ?, last_fire_at = COALESCE(?,"
                + " last_fire_at), updated_at = ? WHERE id = ? AND next_fire_at = ?")) {
      setMillis(ps, 1, p.nextFireAt());
      ps.setLong(2, p.runs());
      setMillis(ps, 3, p.lastFireAt());
      ps.setLong(4, now.toEpochMilli());
      ps.setString(5, p.id());
      ps.setLong(6, p.expectedNextFireAt().toEpochMilli());
      return ps.executeUpdate() == 1;
    }
  }

  void setLastJob(Connection c, String id, UUID jobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE " + TABLE + " SET last_job_id = ? WHERE id = ?")) {
      ps.setString(1, jobId.toString());
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  private static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, t.toEpochMilli());
  }

  private static List<RecurringRecord> readAll(PreparedStatement ps) throws SQLException {
    List<RecurringRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(read(rs));
    }
    return out;
  }

  private static RecurringRecord read(ResultSet rs) throws SQLException {
    String lastJob = rs.getString(6);
    return new RecurringRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getBoolean(3),
        millis(rs, 4),
        millis(rs, 5),
        lastJob == null ? null : UUID.fromString(lastJob),
        rs.getLong(7),
        Instant.ofEpochMilli(rs.getLong(8)),
        Instant.ofEpochMilli(rs.getLong(9)));
  }

  private static Instant millis(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
