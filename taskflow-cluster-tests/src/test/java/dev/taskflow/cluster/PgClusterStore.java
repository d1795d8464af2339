package dev.taskflow.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.Storage;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The nodes of one test on the real PostgreSQL ({@code TASKFLOW_TEST_PG_URL}, a JDBC URL; default
 * the local server's {@code test} database), in a schema of their own that is dropped afterwards.
 */
final class PgClusterStore implements ClusterStore {
  static final String URL =
      System.getenv()
          .getOrDefault(
              "TASKFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private static volatile String unavailable; // why, once known; "" when reachable

  private final String schema;

  PgClusterStore(String prefix) {
    requireAvailable();
    this.schema =
        (prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .toLowerCase(Locale.ROOT);
  }

  /** Skips the calling test, or fails it under CI ({@code CI=true}), when PostgreSQL is absent. */
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
            + redacted()
            + " ("
            + unavailable
            + "); start it or set TASKFLOW_TEST_PG_URL";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("under CI the cluster tests must run on PostgreSQL: " + why);
    }
    Assumptions.abort("cluster tests skipped: " + why);
  }

  String schema() {
    return schema;
  }

  @Override
  public String name() {
    return "postgres";
  }

  /**
   * The CLI form, {@code postgres://user[:password]@host:port/db?schema=s}, of the JDBC URL; the
   * driver's other parameters are kept.
   */
  @Override
  public String cliStore() {
    URI uri = URI.create(URL.substring("jdbc:".length()));
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    String user = params.remove("user");
    String password = params.remove("password");
    params.put("schema", schema);
    StringBuilder sb = new StringBuilder("postgres://");
    if (user != null) {
      sb.append(encode(user));
      if (password != null) sb.append(':').append(encode(password));
      sb.append('@');
    }
    sb.append(uri.getHost()).append(':').append(uri.getPort() < 0 ? 5432 : uri.getPort());
    sb.append(uri.getRawPath()).append('?');
    params.forEach((k, v) -> sb.append(encode(k)).append('=').append(encode(v)).append('&'));
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  @Override
  public Storage newStorage() {
    return PostgresStorage.builder(URL).schema(schema).build();
  }

  /** A plain connection (auto-commit on) with the test's schema as its search path. */
  Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(URL);
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
    }
    return c;
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test schema " + schema + ": " + e, e);
    }
  }

  private static String redacted() {
    return URL.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
