package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL the tests run against: {@code TASKFLOW_TEST_PG_URL} (a JDBC URL), by default
 * the local server's {@code test} database. Each test class (or test) works in its own schema,
 * created for it and dropped afterwards. When the server is unreachable the tests skip, saying why,
 * except under CI ({@code CI=true}), where they fail.
 */
final class PgTestDatabase {
  static final String URL =
      System.getenv()
          .getOrDefault(
              "TASKFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private static volatile String unavailable; // why, once known; "" when reachable

  private PgTestDatabase() {}

  /** Skips the calling test (or fails it under CI) when PostgreSQL is unreachable. */
  static void requireAvailable() {
    if (unavailable == null) {
      DriverManager.setLoginTimeout(5);
      try (Connection c = DriverManager.getConnection(URL)) {
        unavailable = c.isValid(5) ? "" : "the connection is not valid";
      } catch (SQLException e) {
        unavailable = e.getMessage();
      }
    }
    if (unavailable.isEmpty()) return;
    String why =
        "PostgreSQL is not reachable at "
            + PostgresUrl.redact(URL)
            + " ("
            + unavailable
            + "); start it or set TASKFLOW_TEST_PG_URL";
    if ("true".equalsIgnoreCase(System.getenv("CI")))
      fail("under CI the PostgreSQL tests must run: " + why);
    Assumptions.abort(why);
  }

  /** A fresh schema name (not yet created: the store creates it). */
  static String newSchema(String prefix) {
    return (prefix
            + "_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
        .toLowerCase(Locale.ROOT);
  }

  static PostgresStorage.Builder store(String schema) {
    return PostgresStorage.builder(URL).schema(schema);
  }

  /** A plain connection (auto-commit on) with {@code schema} as its search path. */
  static Connection connect(String schema) throws SQLException {
    Connection c = DriverManager.getConnection(URL);
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
    }
    return c;
  }

  static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema + ": " + e, e);
    }
  }
}
