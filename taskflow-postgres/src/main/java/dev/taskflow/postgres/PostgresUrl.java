package dev.taskflow.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives, parsed from one of the forms users write:
 *
 * <ul>
 *   <li>{@code postgres://user:password@host:port/database?schema=jobs} (also {@code
 *       postgresql://})
 *   <li>{@code jdbc:postgresql://host:port/database?user=u&password=p&schema=jobs}
 * </ul>
 *
 * <p>{@code schema} (default {@code public}) and {@code poolSize} are TaskFlow's; every other query
 * parameter goes to the driver (e.g. {@code sslmode=require}).
 *
 * @param jdbcUrl the driver URL, without TaskFlow's parameters (may carry user and password)
 * @param user the user from a {@code postgres://} URL, or null
 * @param password the password from a {@code postgres://} URL, or null
 * @param schema the schema TaskFlow's tables live in, or null for the default
 * @param poolSize the {@code poolSize} parameter, or 0 when absent
 */
public record PostgresUrl(
    String jdbcUrl, String user, String password, String schema, int poolSize) {

  /** Schema names TaskFlow accepts: plain lower-case identifiers, so they never need quoting. */
  static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Whether {@code url} is one of the PostgreSQL forms (so a CLI can route it here). */
  public static boolean isPostgres(String url) {
    return url.startsWith("postgres://")
        || url.startsWith("postgresql://")
        || url.startsWith("jdbc:postgresql:");
  }

  /**
   * Parses a URL.
   *
   * @throws IllegalArgumentException naming the URL (password hidden) and what is wrong
   */
  public static PostgresUrl parse(String url) {
    if (url == null || !isPostgres(url)) {
      throw new IllegalArgumentException(
          "'"
              + redact(url)
              + "' is not a PostgreSQL URL: use postgres://user@host:5432/db?schema=x or"
              + " jdbc:postgresql://host:5432/db?user=u");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      int q = url.indexOf('?');
      if (q < 0) return new PostgresUrl(url, null, null, null, 0);
      Map<String, String> params = query(url.substring(q + 1), url);
      String schema = params.remove("schema");
      int pool = poolSize(params.remove("poolSize"), url);
      return new PostgresUrl(
          url.substring(0, q) + encode(params), null, null, schema(schema, url), pool);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + redact(url) + "' is not a valid URL: " + e.getMessage(), e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + redact(url) + "' names no host");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] up = uri.getRawUserInfo().split(":", 2);
      user = decode(up[0]);
      password = up.length > 1 ? decode(up[1]) : null;
    }
    String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? null : uri.getPath();
    if (db == null) {
      throw new IllegalArgumentException(
          "'" + redact(url) + "' names no database: add it as the path, e.g. .../taskflow");
    }
    Map<String, String> params =
        uri.getRawQuery() == null ? new LinkedHashMap<>() : query(uri.getRawQuery(), url);
    String schema = params.remove("schema");
    int pool = poolSize(params.remove("poolSize"), url);
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String jdbc = "jdbc:postgresql://" + host + ":" + port + db + encode(params);
    return new PostgresUrl(jdbc, user, password, schema(schema, url), pool);
  }

  private static String schema(String schema, String url) {
    if (schema == null) return null;
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema '"
              + schema
              + "' in '"
              + redact(url)
              + "' must be a lower-case identifier: letters, digits and _, at most 63");
    }
    return schema;
  }

  private static int poolSize(String v, String url) {
    if (v == null) return 0;
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 1000) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "poolSize '" + v + "' in '" + redact(url) + "' must be a number from 1 to 1000");
  }

  private static Map<String, String> query(String raw, String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      String[] kv = pair.split("=", 2);
      out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    return out;
  }

  private static String encode(Map<String, String> params) {
    if (params.isEmpty()) return "";
    StringBuilder sb = new StringBuilder("?");
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (sb.length() > 1) sb.append('&');
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced by {@code ***}, for messages and logs. */
  public static String redact(String url) {
    if (url == null) return "null";
    return url.replaceAll("(://[^:/@?]*:)[^@/?]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + (schema == null ? "" : " schema " + schema);
  }
}
