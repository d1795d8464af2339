package dev.taskflow.cluster;

import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.fixtures.PgTestDatabase;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.Storage;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nodes of one test on the real PostgreSQL ({@link PgTestDatabase#URL}), in a schema of their
 * own that is dropped afterwards.
 */
final class PgClusterStore implements ClusterStore {
  /** The maintenance leadership as the store holds it. */
  record Lease(String owner, long expiresAtMs) {}

  private final PgSchema schema;

  PgClusterStore(String prefix) {
    this.schema = new PgSchema(prefix).create();
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
    URI uri = URI.create(PgTestDatabase.URL.substring("jdbc:".length()));
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    String user = params.remove("user");
    String password = params.remove("password");
    params.put("schema", schema.name());
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
    return PostgresStorage.builder(schema.url()).build();
  }

  /** The maintenance leadership as the store holds it now, or null when nobody ever held it. */
  Lease maintenanceLeader() throws SQLException {
    try (Connection c = schema.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT owner, expires_at FROM taskflow_leaders WHERE name = 'maintenance'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new Lease(rs.getString(1), rs.getLong(2)) : null;
    }
  }

  @Override
  public void close() {
    schema.close();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
