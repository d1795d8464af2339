package dev.taskflow.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The few SQL fragments that differ between databases. Everything else (the flow of every storage
 * operation) lives in {@link JdbcStorage}, so a new database is a dialect plus its migrations.
 *
 * <p>Conventions every dialect's schema keeps: times are epoch milliseconds in integer columns, ids
 * are canonical lower-case UUID text, JSON values (tags, progress, errors, history, args, result)
 * are bound as text.
 */
public interface SqlDialect {

  /** A short name for logs and error messages, e.g. {@code sqlite}. */
  String name();

  /**
   * An expression that appends one JSON value to the JSON array in {@code column}. {@code value} is
   * an expression (a {@code ?} or a column) holding the value as JSON text.
   *
   * <p>SQLite: {@code json_insert(history, '$[#]', json(value))}.
   */
  String jsonArrayAppend(String column, String value);

  /**
   * A predicate that holds when the JSON array of strings in {@code column} contains the text bound
   * to the single {@code ?} it contains.
   */
  String jsonArrayContains(String column);

  /**
   * A predicate that holds when the text of {@code column} matches the {@code LIKE} pattern bound
   * to its single {@code ?} (escape character {@code \\}), ASCII letters matching in either case:
   * the args search of the job listing. SQLite's {@code LIKE} already ignores ASCII case; a
   * database whose {@code LIKE} does not, or whose column is a JSON type, overrides this (e.g.
   * {@code args::text ILIKE ? ESCAPE '\\'}).
   */
  default String textContains(String column) {
    return column + " LIKE ? ESCAPE '\\'";
  }

  /**
   * A predicate that holds when {@code column} is one of the ids selected by {@code subquery},
   * which may carry a {@code LIMIT} and a row lock: the subquery must run once per statement, never
   * once per outer row (PostgreSQL may re-run a locking {@code IN} subquery, each time skipping the
   * rows the statement already changed, so a {@code LIMIT} would not bound the statement).
   */
  default String inSubquery(String column, String subquery) {
    return column + " IN (" + subquery + ")";
  }

  /**
   * {@code expr} (a {@code ?} or a column holding JSON text) as a value for a JSON column: itself
   * where JSON columns are text, a cast such as {@code expr::jsonb} where they are a JSON type.
   */
  default String json(String expr) {
    return expr;
  }

  /** A JSON parameter: {@link #json(String) json("?")}. */
  default String jsonParam() {
    return json("?");
  }

  /**
   * A parameter of the given SQL type ({@code text}, {@code int}, {@code bigint}) inside a {@code
   * VALUES} list, where the database cannot infer its type: {@code ?}, or a cast such as {@code
   * ?::int}.
   */
  default String typedParam(String sqlType) {
    return "?";
  }

  /**
   * Appended to the select that picks jobs to claim, promote or rescue, so concurrent claimers skip
   * each other's rows ({@code FOR UPDATE SKIP LOCKED}); empty for single-writer databases.
   */
  default String lockSkipLocked() {
    return "";
  }

  /**
   * Appended to a select of one row that the same transaction then updates ({@code FOR UPDATE});
   * empty for single-writer databases.
   */
  default String lockForUpdate() {
    return "";
  }

  /**
   * Appended to a select of rows that must not be deleted before the transaction ends, though they
   * may change ({@code FOR KEY SHARE}): the stored parents of a job being inserted. Empty for
   * single-writer databases.
   */
  default String lockKeyShare() {
    return "";
  }

  /**
   * Appended to a select of rows the same statement then deletes, skipping rows another transaction
   * holds, even in {@link #lockKeyShare()} mode ({@code FOR UPDATE SKIP LOCKED}): the jobs
   * retention removes. Empty for single-writer databases.
   */
  default String lockForDeleteSkipLocked() {
    return "";
  }

  /**
   * A statement run first in the migration transaction to keep two processes from migrating at
   * once, or null when the database's write transaction already excludes them (SQLite's {@code
   * BEGIN IMMEDIATE}).
   */
  default String migrationLockStatement() {
    return null;
  }

  /**
   * The SQL type of job ids inside a {@code VALUES} list ({@link #typedParam}): {@code text} where
   * ids are stored as text, {@code uuid} where they have their own type.
   */
  default String idType() {
    return "text";
  }

  /**
   * A statement run right before every insert into the event log, in the same transaction, or null.
   * A database where several transactions write at once uses it to make event sequences increase in
   * commit order: a lock held until commit (PostgreSQL: {@code pg_advisory_xact_lock}), so that a
   * transaction that took a lower sequence is visible before one that took a higher one.
   */
  default String eventLogLockStatement() {
    return null;
  }

  /**
   * Takes locks, held until the transaction ends, that make claimers of the same limits (by name)
   * run one after the other, so the running jobs and starts a limited claim counts cannot change
   * before it commits; saving or deleting a limit takes its lock too, so it never interleaves with
   * such a claim. A no-op where write transactions already run one at a time (SQLite).
   * Implementations lock in one global order, so that two claimers cannot deadlock.
   */
  default void lockLimits(Connection c, java.util.List<String> limitNames) throws SQLException {}

  /**
   * Whether {@code table} exists where this store's unqualified names resolve, without failing the
   * transaction when it does not. The default asks the JDBC metadata of the connection's schema.
   */
  default boolean tableExists(Connection c, String table) throws SQLException {
    try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), table, null)) {
      return rs.next();
    }
  }
}
