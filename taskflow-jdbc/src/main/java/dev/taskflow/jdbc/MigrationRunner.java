package dev.taskflow.jdbc;

import dev.taskflow.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies versioned SQL migrations ({@code V1__init.sql}, {@code V2__add_x.sql}, ...) and records
 * each in a schema-history table with its SHA-256 checksum. It refuses to run when a migration that
 * was applied has since changed, or when the database is newer than the migrations it knows: a
 * library must never guess with a user's data.
 *
 * <p>Migrations come from a classpath folder holding an {@code index.txt} that names the files in
 * order (class loaders cannot list folders portably). Everything runs in one write transaction, so
 * a failed migration leaves the schema as it was and two processes never migrate at once.
 *
 * {@snippet :
 * MigrationRunner runner = MigrationRunner.fromClasspath(
 *     MyStore.class, "/dev/taskflow/sqlite/migrations", dialect, clock);
 * int applied = runner.migrate(connection); // inside the caller's write transaction
 * }
 */
public final class MigrationRunner {
  /** The schema-history table. */
  public static final String HISTORY_TABLE = "taskflow_schema_history";

  private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);
  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  /** One migration script: its version, file name, text and checksum. */
  public record Migration(int version, String name, String sql, String checksum) {
    /** A migration named {@code V<version>__<description>.sql}. */
    public static Migration of(String name, String sql) {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "migration file name '" + name + "' must look like V1__description.sql");
      }
      return new Migration(Integer.parseInt(m.group(1)), name, sql, MigrationRunner.checksum(sql));
    }
  }

  private final List<Migration> migrations;
  private final SqlDialect dialect;
  private final Clock clock;

  /**
   * @param migrations versions 1..n, each once, in order
   */
  public MigrationRunner(List<Migration> migrations, SqlDialect dialect, Clock clock) {
    for (int i = 0; i < migrations.size(); i++) {
      Migration m = migrations.get(i);
      if (m.version() != i + 1) {
        throw new IllegalArgumentException(
            "migrations must be versions 1.."
                + migrations.size()
                + " in order, but position "
                + (i + 1)
                + " holds "
                + m.name());
      }
    }
    this.migrations = List.copyOf(migrations);
    this.dialect = dialect;
    this.clock = clock;
  }

  /**
   * Loads the migrations listed in {@code folder/index.txt} (one file name per line, {@code #}
   * starts a comment).
   *
   * @param anchor a class whose class loader sees the folder
   * @param folder an absolute resource folder, e.g. {@code /dev/taskflow/sqlite/migrations}
   */
  public static MigrationRunner fromClasspath(
      Class<?> anchor, String folder, SqlDialect dialect, Clock clock) {
    String index = resource(anchor, folder + "/index.txt");
    List<Migration> list = new ArrayList<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) continue;
      list.add(Migration.of(name, resource(anchor, folder + "/" + name)));
    }
    return new MigrationRunner(list, dialect, clock);
  }

  public List<Migration> migrations() {
    return migrations;
  }

  /**
   * Verifies the applied migrations and applies the pending ones, on a connection that is already
   * inside a write transaction (the caller commits).
   *
   * @return how many migrations were applied
   * @throws StorageException when an applied migration changed or the database is newer
   */
  public int migrate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      if (dialect.migrationLockStatement() != null) {
        for (String sql : SqlScript.split(dialect.migrationLockStatement())) st.execute(sql);
      }
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + HISTORY_TABLE
              + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
              + " applied_at BIGINT NOT NULL)");
    }
    Map<Integer, String[]> applied = verified(c);
    int count = 0;
    for (Migration m : migrations) {
      if (applied.containsKey(m.version())) continue;
      try (Statement st = c.createStatement()) {
        for (String sql : SqlScript.split(m.sql())) {
          st.execute(sql);
        }
      } catch (SQLException e) {
        throw new SQLException(
            "migration " + m.name() + " failed: " + e.getMessage(), e.getSQLState(), e);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + HISTORY_TABLE
                  + " (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.name());
        ps.setString(3, m.checksum());
        ps.setLong(4, clock.millis());
        ps.executeUpdate();
      }
      log.info("[{}] applied migration {}", dialect.name(), m.name());
      count++;
    }
    return count;
  }

  /**
   * The migrations not applied yet, in order, without changing anything (for {@code migrate
   * --print-sql} and for stores told never to migrate).
   *
   * @throws StorageException when an applied migration changed or the database is newer
   */
  public List<Migration> pending(Connection c) throws SQLException {
    Map<Integer, String[]> applied =
        dialect.tableExists(c, HISTORY_TABLE) ? verified(c) : new LinkedHashMap<>();
    List<Migration> out = new ArrayList<>();
    for (Migration m : migrations) if (!applied.containsKey(m.version())) out.add(m);
    return out;
  }

  /**
   * Checks that the schema is fully migrated, for stores told never to migrate.
   *
   * @param where names the database and schema in the message, e.g. {@code schema jobs on
   *     db.example:5432/app}
   * @param how tells the reader how to migrate, e.g. {@code run: taskflow migrate --store ...}
   * @throws StorageException naming the pending migrations when some are missing
   */
  public void verifyCurrent(Connection c, String where, String how) throws SQLException {
    List<Migration> pending = pending(c);
    if (pending.isEmpty()) return;
    int at = migrations.size() - pending.size();
    throw new StorageException(
        "the TaskFlow schema in "
            + where
            + " is at version "
            + at
            + " but this TaskFlow needs version "
            + migrations.size()
            + " (pending: "
            + String.join(", ", pending.stream().map(Migration::name).toList())
            + ") and automatic migration is off; "
            + how);
  }

  /** The applied migrations by version, after checking them against the known ones. */
  private Map<Integer, String[]> verified(Connection c) throws SQLException {
    Map<Integer, String[]> applied = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT version, name, checksum FROM " + HISTORY_TABLE + " ORDER BY version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        applied.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
    for (Map.Entry<Integer, String[]> e : applied.entrySet()) {
      int version = e.getKey();
      if (version > migrations.size()) {
        throw new StorageException(
            "the "
                + dialect.name()
                + " database has schema version "
                + version
                + " ("
                + e.getValue()[0]
                + ") but this TaskFlow knows migrations up to version "
                + migrations.size()
                + "; refusing to run an older TaskFlow against a newer schema");
      }
      Migration known = migrations.get(version - 1);
      if (!known.checksum().equals(e.getValue()[1])) {
        throw new StorageException(
            "migration "
                + known.name()
                + " was changed after it was applied to this "
                + dialect.name()
                + " database (checksum applied: "
                + e.getValue()[1]
                + ", checksum now: "
                + known.checksum()
                + "); refusing to run. Restore the original file and put the change in a new"
                + " migration.");
      }
    }
    return applied;
  }

  /** SHA-256 of the script with line endings normalised, as lower-case hex. */
  static String checksum(String sql) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] bytes = sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(md.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String resource(Class<?> anchor, String path) {
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "migration resource " + path + " is missing from the classpath of " + anchor.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration resource " + path, e);
    }
  }
}
