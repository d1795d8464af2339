package dev.taskflow.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JdbcStorage;
import dev.taskflow.jdbc.MigrationRunner;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.StorageCapabilities;
import dev.taskflow.spi.StoreListener;
import dev.taskflow.spi.TransactionalStorage;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store: many TaskFlow processes on one PostgreSQL database (one schema of it).
 *
 * <ul>
 *   <li><b>Clock.</b> The store clock is PostgreSQL's: each transaction reads {@code now()} (the
 *       transaction's start) once and compares every due time and lease with it, so servers with
 *       skewed clocks still agree. Times are stored as epoch milliseconds.
 *   <li><b>Claims</b> are one {@code UPDATE .. WHERE id IN (SELECT .. FOR NO KEY UPDATE SKIP LOCKED
 *       LIMIT n) RETURNING ..} on the partial index of enqueued rows; completions are one fenced
 *       statement per batch kind.
 *   <li><b>Events</b> take a transaction-scoped advisory lock right before their insert, so
 *       sequences increase in commit order.
 *   <li><b>Counters</b> are kept by a statement trigger as appended deltas that a background thread
 *       folds every second, so no writer waits on a shared counter row and no count scans jobs.
 *   <li><b>Wake-ups.</b> Enqueued jobs and appended events {@code NOTIFY} (at most once per queue
 *       per transaction); {@link #listen} holds one dedicated connection outside the pool, and
 *       reconnects with a catch-up wake-up when it loses it.
 *   <li><b>Leader lease</b> in {@code taskflow_leaders}, on the database clock.
 *   <li><b>Migrations</b> run at {@link #open()} under an advisory lock, unless {@link
 *       Builder#autoMigrate(boolean) autoMigrate(false)}: then open fails while any is pending.
 * </ul>
 *
 * {@snippet :
 * PostgresStorage store = PostgresStorage.builder("postgres://app@db:5432/app?schema=jobs")
 *     .poolSize(10)
 *     .build();
 * TaskFlow taskflow = TaskFlow.builder().storage(store).build(); // opens the store
 * }
 */
public final class PostgresStorage extends JdbcStorage implements TransactionalStorage {
  /** The schema used when the URL names none. */
  public static final String DEFAULT_SCHEMA = "public";

  public static final int DEFAULT_POOL_SIZE = 10;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(PostgresStorage.class);
  private static final StorageCapabilities CAPABILITIES =
      new StorageCapabilities("postgres", true, true);
  private static final String NOW_MILLIS = "SELECT floor(extract(epoch from now()) * 1000)::bigint";
  private static final String CLOCK_MILLIS =
      "SELECT floor(extract(epoch from clock_timestamp()) * 1000)::bigint";

  private final PostgresUrl url;
  private final String schema;
  private final PostgresDialect dialect;
  private final int poolSize;
  private final Duration connectionTimeout;
  private final boolean autoMigrate;
  private final Clock testClock;
  private final MigrationRunner migrations;

  private final ReentrantLock lifecycle = new ReentrantLock();
  private volatile HikariDataSource pool; // set under lifecycle
  private volatile boolean closed;
  private CountFolder folder; // guarded by lifecycle
  private Notifications notifications; // guarded by lifecycle

  private PostgresStorage(Builder b) {
    this(b, new PostgresDialect(b.schema));
  }

  private PostgresStorage(Builder b, PostgresDialect dialect) {
    super(dialect);
    this.url = b.url;
    this.schema = b.schema;
    this.dialect = dialect;
    this.poolSize = b.poolSize;
    this.connectionTimeout = b.connectionTimeout;
    this.autoMigrate = b.autoMigrate;
    this.testClock = b.clock;
    this.migrations =
        MigrationRunner.fromClasspath(
            PostgresStorage.class,
            "/dev/taskflow/postgres/migrations",
            dialect,
            b.clock == null ? Clock.systemUTC() : b.clock);
  }

  /**
   * A builder for the store at {@code url}: {@code postgres://user:pass@host:port/db?schema=x},
   * {@code postgresql://..} or {@code jdbc:postgresql://..} (see {@link PostgresUrl}).
   */
  public static Builder builder(String url) {
    return new Builder(PostgresUrl.parse(url));
  }

  /** Settings of a {@link PostgresStorage}; each is validated when set. */
  public static final class Builder {
    private final PostgresUrl url;
    private String schema;
    private int poolSize;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private boolean autoMigrate = true;
    private Clock clock;

    private Builder(PostgresUrl url) {
      this.url = url;
      this.schema = url.schema() == null ? DEFAULT_SCHEMA : url.schema();
      this.poolSize = url.poolSize() == 0 ? DEFAULT_POOL_SIZE : url.poolSize();
    }

    /** The schema of TaskFlow's tables (default: the URL's {@code schema}, else public). */
    public Builder schema(String schema) {
      if (schema == null || !PostgresUrl.SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException(
            "schema '" + schema + "' must be a lower-case identifier: letters, digits and _");
      }
      this.schema = schema;
      return this;
    }

    /** Connections in the pool (default 10; the listener's own connection is extra). */
    public Builder poolSize(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("poolSize must be 1..1000, was " + n);
      }
      this.poolSize = n;
      return this;
    }

    /** How long an operation waits for a pooled connection before failing (default 5 s). */
    public Builder connectionTimeout(Duration d) {
      if (d == null || d.toMillis() < 250) {
        throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was " + d);
      }
      this.connectionTimeout = d;
      return this;
    }

    /**
     * Whether {@link PostgresStorage#open()} applies pending migrations (default true). With false,
     * open fails with a message naming the pending migrations; run {@code taskflow migrate}, or
     * apply the SQL of {@code taskflow migrate --print-sql} yourself.
     */
    public Builder autoMigrate(boolean on) {
      this.autoMigrate = on;
      return this;
    }

    /**
     * For tests only: use this clock instead of the database's. Every server sharing a schema must
     * use the same clock, which only the database's guarantees.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The store, not yet opened: call {@link PostgresStorage#open()} (TaskFlow does). */
    public PostgresStorage build() {
      return new PostgresStorage(this);
    }
  }

  /** The schema of TaskFlow's tables. */
  public String schema() {
    return schema;
  }

  @Override
  public StorageCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected MigrationRunner migrationRunner() {
    return migrations;
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  @Override
  protected void connect() throws SQLException {
    lifecycle.lock();
    try {
      if (closed) throw closedException();
      if (pool != null) return;
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url.jdbcUrl());
      if (url.user() != null) config.setUsername(url.user());
      if (url.password() != null) config.setPassword(url.password());
      connectionProperties().forEach((k, v) -> config.addDataSourceProperty((String) k, v));
      config.setPoolName("taskflow-pg-" + schema);
      config.setMaximumPoolSize(poolSize);
      config.setMinimumIdle(Math.min(2, poolSize));
      config.setAutoCommit(false);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 2_000));
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new StorageException(
            "cannot connect to PostgreSQL at " + url + ": " + rootMessage(e), e);
      }
      log.info("[postgres] connected to {} (schema {}, pool {})", url, schema, poolSize);
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * The driver settings of every connection: untyped string parameters (so text binds to uuid and
   * jsonb columns), the schema as the search path, and keep-alives.
   */
  private Properties connectionProperties() {
    Properties p = new Properties();
    p.setProperty("stringtype", "unspecified");
    p.setProperty("currentSchema", schema);
    p.setProperty("ApplicationName", "taskflow");
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  @Override
  protected int migrateSchema(Connection c) throws SQLException {
    if (autoMigrate) return super.migrateSchema(c);
    migrations.verifyCurrent(
        c,
        "schema " + schema + " of " + url.jdbcUrl().replaceAll("\\?.*", ""),
        "run `taskflow migrate --store <url>` or apply the SQL of `taskflow migrate --print-sql`");
    return 0;
  }

  /** Connects, migrates (unless told not to) and starts folding the counters. */
  @Override
  public void open() {
    super.open();
    lifecycle.lock();
    try {
      if (closed) throw closedException();
      if (folder == null) {
        folder = new CountFolder(this, dialect);
        folder.start();
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Applies the pending migrations now, under the migration lock; returns how many ran. For {@code
   * taskflow migrate}; works whatever {@link Builder#autoMigrate} says.
   */
  public int migrate() {
    try {
      connect();
      return inWriteTransaction(migrations::migrate);
    } catch (SQLException e) {
      throw new StorageException("migrating " + this + " failed: " + e.getMessage(), e);
    }
  }

  /** The migrations not applied yet (for {@code taskflow migrate --print-sql}); changes nothing. */
  public List<MigrationRunner.Migration> pendingMigrations() {
    try {
      connect();
      return inReadConnection(migrations::pending);
    } catch (SQLException e) {
      throw new StorageException(
          "reading the migrations of " + this + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The SQL {@code taskflow migrate} would run, as one script: the schema, then each pending
   * migration and its history row. For teams that apply DDL themselves.
   */
  public String pendingMigrationsSql() {
    List<MigrationRunner.Migration> pending = pendingMigrations();
    StringBuilder sb = new StringBuilder();
    if (pending.isEmpty()) {
      return "-- schema " + schema + " is up to date: no migration is pending\n";
    }
    sb.append("-- TaskFlow migrations pending for schema ")
        .append(schema)
        .append(" (apply in one transaction)\n")
        .append("CREATE SCHEMA IF NOT EXISTS ")
        .append(schema)
        .append(";\nSET search_path TO ")
        .append(schema)
        .append(";\nCREATE TABLE IF NOT EXISTS ")
        .append(MigrationRunner.HISTORY_TABLE)
        .append(" (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,")
        .append(" applied_at BIGINT NOT NULL);\n");
    for (MigrationRunner.Migration m : pending) {
      sb.append("\n-- ").append(m.name()).append('\n').append(m.sql().strip()).append('\n');
      sb.append("INSERT INTO ")
          .append(MigrationRunner.HISTORY_TABLE)
          .append(" (version, name, checksum, applied_at) VALUES (")
          .append(m.version())
          .append(", '")
          .append(m.name())
          .append("', '")
          .append(m.checksum())
          .append("', floor(extract(epoch from now()) * 1000)::bigint);\n");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    CountFolder f;
    Notifications n;
    HikariDataSource p;
    lifecycle.lock();
    try {
      closed = true;
      f = folder;
      n = notifications;
      p = pool;
      folder = null;
      notifications = null;
    } finally {
      lifecycle.unlock();
    }
    if (f != null) f.stop();
    if (n != null) n.stop();
    if (p != null) p.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions and the clock

  private HikariDataSource pool() {
    if (closed) throw closedException();
    HikariDataSource p = pool;
    if (p == null) {
      throw new StorageException("the PostgreSQL store " + this + " is not open: call open()");
    }
    return p;
  }

  @Override
  protected <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
    try (Connection c = pool().getConnection()) {
      boolean committed = false;
      try {
        T result = work.run(c);
        c.commit();
        committed = true;
        return result;
      } finally {
        if (!committed) rollbackQuietly(c);
      }
    }
  }

  @Override
  protected <T> T inReadConnection(SqlWork<T> work) throws SQLException {
    return inWriteTransaction(work); // a read-only transaction commits nothing
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("[postgres] rollback after a failed transaction: {}", e.getMessage());
    }
  }

  @Override
  protected Instant transactionNow(Connection c) throws SQLException {
    if (testClock != null) return Instant.ofEpochMilli(testClock.millis());
    try (PreparedStatement ps = c.prepareStatement(NOW_MILLIS);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return Instant.ofEpochMilli(rs.getLong(1));
    }
  }

  /**
   * {@code clock_timestamp()}: the time now, not at the transaction's start (after a lock wait).
   */
  @Override
  protected Instant currentNow(Connection c) throws SQLException {
    if (testClock != null) return Instant.ofEpochMilli(testClock.millis());
    try (PreparedStatement ps = c.prepareStatement(CLOCK_MILLIS);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return Instant.ofEpochMilli(rs.getLong(1));
    }
  }

  /** The database's now (the store clock). */
  @Override
  public Instant now() {
    if (testClock != null) return Instant.ofEpochMilli(testClock.millis());
    return read(() -> "now", this::transactionNow);
  }

  // ---------------------------------------------------------------------------------------------
  // Transactional enqueue

  /**
   * Inserts jobs in the caller's transaction: {@code transaction} is a {@link Connection} to the
   * same database with auto-commit off (plain JDBC, or the connection Spring binds to the current
   * transaction). The jobs, their events and their counts commit or roll back with the caller.
   */
  @Override
  public List<InsertOutcome> jobInsertManyIn(Object transaction, JobInsertManyParams params) {
    if (!(transaction instanceof Connection c)) {
      throw new IllegalArgumentException(
          "the PostgreSQL store enqueues in a java.sql.Connection with auto-commit off, not in "
              + (transaction == null ? "null" : transaction.getClass().getName()));
    }
    try {
      if (c.getAutoCommit()) {
        throw new IllegalArgumentException(
            "the connection is in auto-commit mode, so the jobs would commit on their own: call"
                + " setAutoCommit(false) and commit when your own changes are done");
      }
      String previous;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT current_setting('search_path'), set_config('search_path', ?, true)")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          previous = rs.getString(1);
        }
      }
      List<InsertOutcome> out = jobInsertManyOn(UntypedStrings.wrapStaging(c), params);
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('search_path', ?, true)")) {
        ps.setString(1, previous);
        ps.executeQuery().close();
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException(
          "jobInsertManyIn (the caller's transaction) of "
              + params.jobs().size()
              + " job(s) failed on "
              + this
              + ": "
              + e.getMessage(),
          e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Notifications

  @Override
  public AutoCloseable listen(StoreListener listener) {
    Objects.requireNonNull(listener, "listener");
    Notifications n;
    lifecycle.lock();
    try {
      if (closed) throw closedException();
      if (notifications == null) {
        notifications = new Notifications(this, dialect.channel());
        notifications.start();
      }
      n = notifications;
    } finally {
      lifecycle.unlock();
    }
    n.add(listener);
    return () -> n.remove(listener);
  }

  /** A new connection outside the pool, auto-commit on (for LISTEN). */
  Connection dedicatedConnection() throws SQLException {
    Properties p = connectionProperties();
    if (url.user() != null) p.setProperty("user", url.user());
    if (url.password() != null) p.setProperty("password", url.password());
    p.setProperty("connectTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
    Driver driver = new org.postgresql.Driver();
    Connection c = driver.connect(url.jdbcUrl(), p);
    if (c == null) throw new SQLException("the driver does not accept " + url);
    c.setAutoCommit(true);
    return c;
  }

  /** The queues that have enqueued jobs, from the counters (for the catch-up after reconnect). */
  List<String> queuesWithEnqueuedJobs() {
    return read(
        () -> "queuesWithEnqueuedJobs",
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT queue FROM taskflow_job_counts WHERE state = 'enqueued' AND n > 0");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
          }
          return out;
        });
  }

  /** Folds the appended count deltas into the base counts, if no other server is doing it. */
  int foldCounts() {
    return write(
        () -> "folding the job counters",
        c -> {
          try (PreparedStatement lock =
              c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, PostgresDialect.LOCK_FOLD);
            lock.setInt(2, dialect.schemaKey());
            try (ResultSet rs = lock.executeQuery()) {
              if (!rs.next() || !rs.getBoolean(1)) return 0;
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "WITH d AS (DELETE FROM taskflow_job_count_deltas RETURNING queue, state, n)"
                      + " INSERT INTO taskflow_job_count_base (queue, state, n)"
                      + " SELECT queue, state, sum(n) FROM d GROUP BY queue, state"
                      + " ORDER BY queue, state ON CONFLICT (queue, state)"
                      + " DO UPDATE SET n = taskflow_job_count_base.n + excluded.n")) {
            return ps.executeUpdate();
          }
        });
  }

  private StorageException closedException() {
    return new StorageException("the PostgreSQL store " + this + " is closed");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }

  @Override
  public String toString() {
    return "postgres store " + url.jdbcUrl().replaceAll("\\?.*", "") + " schema " + schema;
  }
}
