package dev.taskflow.postgres;

import dev.taskflow.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL's fragments: jsonb, typed {@code VALUES} parameters, {@code FOR NO KEY UPDATE SKIP
 * LOCKED} (it does not block the foreign-key checks of event inserts, which {@code FOR UPDATE}
 * would), and the advisory locks that serialise migrations and order the event log.
 */
final class PostgresDialect implements SqlDialect {
  /** First key of TaskFlow's two-key advisory locks; the second is the schema's hash. */
  static final int LOCK_MIGRATE = 0x7466_0001;

  static final int LOCK_EVENTS = 0x7466_0002;
  static final int LOCK_FOLD = 0x7466_0003;

  private final String schema;

  PostgresDialect(String schema) {
    this.schema = schema;
  }

  String schema() {
    return schema;
  }

  /** The second key of this schema's advisory locks. */
  int schemaKey() {
    return schema.hashCode();
  }

  /** The NOTIFY channel of this schema (the trigger in V1 builds the same name). */
  String channel() {
    return "taskflow:" + schema;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String jsonArrayAppend(String column, String value) {
    return column + " || jsonb_build_array((" + value + ")::jsonb)";
  }

  @Override
  public String jsonArrayContains(String column) {
    return column + " @> jsonb_build_array(?::text)";
  }

  /** {@code = ANY (ARRAY(..))}: an init plan, run once, whatever plan the statement gets. */
  @Override
  public String inSubquery(String column, String subquery) {
    return column + " = ANY (ARRAY(" + subquery + "))";
  }

  /** Text in the args, ASCII case ignored: jsonb as its text, as the other stores search. */
  @Override
  public String textContains(String column) {
    return column + "::text ILIKE ? ESCAPE '\\'";
  }

  @Override
  public String json(String expr) {
    return "(" + expr + ")::jsonb";
  }

  @Override
  public String typedParam(String sqlType) {
    return "?::" + sqlType;
  }

  @Override
  public String lockSkipLocked() {
    return " FOR NO KEY UPDATE SKIP LOCKED";
  }

  @Override
  public String lockForUpdate() {
    return " FOR NO KEY UPDATE";
  }

  /**
   * Conflicts only with deletes (and key updates): a parent stays updatable by its worker while a
   * child is being linked to it, but retention cannot delete it under the child.
   */
  @Override
  public String lockKeyShare() {
    return " FOR KEY SHARE";
  }

  /** {@code FOR UPDATE}, the one row lock that conflicts with {@link #lockKeyShare()}. */
  @Override
  public String lockForDeleteSkipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String idType() {
    return "uuid";
  }

  /**
   * Serialises migrations of this schema across processes (the lock is held until the migration
   * transaction ends), then creates the schema if it is missing.
   */
  @Override
  public String migrationLockStatement() {
    return "SELECT pg_advisory_xact_lock("
        + LOCK_MIGRATE
        + ", "
        + schemaKey()
        + ");\n"
        + "DO $taskflow$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '"
        + schema
        + "') THEN CREATE SCHEMA "
        + schema
        + "; END IF; END $taskflow$";
  }

  /**
   * Taken right before events are inserted and held until commit, so that event-writing
   * transactions take their sequences and commit one after the other: sequences then increase in
   * commit order. The same statement notifies this schema's listeners that events were appended
   * (identical notifications of a transaction are delivered once).
   */
  @Override
  public String eventLogLockStatement() {
    return "SELECT pg_advisory_xact_lock("
        + LOCK_EVENTS
        + ", "
        + schemaKey()
        + "), pg_notify('"
        + channel()
        + "', 'e')";
  }

  /**
   * One-key advisory locks (a space apart from the two-key ones above), one per limit, keyed by a
   * 64-bit hash of the schema and the limit's name, taken in ascending key order so that claimers
   * whose limits overlap always lock in the same order.
   */
  @Override
  public void lockLimits(Connection c, java.util.List<String> limitNames) throws SQLException {
    long[] keys =
        limitNames.stream().mapToLong(n -> limitKey(schema, n)).sorted().distinct().toArray();
    if (keys.length == 0) return;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      for (long k : keys) {
        ps.setLong(1, k);
        ps.executeQuery().close();
      }
    }
  }

  /** A 64-bit FNV-1a hash of schema and name: the advisory lock key of a limit. */
  static long limitKey(String schema, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (schema + "\0limit\0" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public boolean tableExists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?::text) IS NOT NULL")) {
      ps.setString(1, schema + "." + table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
