package dev.taskflow.sqlite;

import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JdbcStorage;
import dev.taskflow.jdbc.MigrationRunner;
import dev.taskflow.spi.StorageCapabilities;
import dev.taskflow.spi.StoreListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The embedded default store: one SQLite file in WAL mode, {@code synchronous=FULL} by default, so
 * that an insert that returned is on disk.
 *
 * <p>SQLite allows one writer at a time. Writes go through one connection, serialised in-process by
 * a {@link ReentrantLock} (never a monitor, so virtual threads do not pin while they wait), each in
 * a {@code BEGIN IMMEDIATE} transaction so that another process on the same file waits for the busy
 * timeout instead of failing half-way. Reads use a small pool of separate read-only connections,
 * which WAL lets run beside the writer.
 *
 * <p>The injected {@link Clock} is the store's clock: every due time and lease is compared with it.
 *
 * <p>The driver (sqlite-jdbc) loads a native library; on JDK 24 and later, run with {@code
 * --enable-native-access=ALL-UNNAMED} to keep the JVM from warning about it.
 *
 * {@snippet :
 * SqliteStorage store = SqliteStorage.open(Path.of("taskflow.db"));
 * // or, configured:
 * SqliteStorage tuned = SqliteStorage.builder(Path.of("taskflow.db"))
 *     .synchronous(SqliteStorage.Synchronous.NORMAL)
 *     .busyTimeout(Duration.ofSeconds(30))
 *     .build();
 * tuned.open();
 * }
 */
public final class SqliteStorage extends JdbcStorage {
  /** How long a write waits for another process's write transaction before failing. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  /** How many idle read connections are kept open. */
  public static final int DEFAULT_IDLE_READERS = 4;

  private static final Logger log = LoggerFactory.getLogger(SqliteStorage.class);
  private static final StorageCapabilities CAPABILITIES =
      new StorageCapabilities("sqlite", false, false);

  /** SQLite's {@code synchronous} setting in WAL mode. */
  public enum Synchronous {
    /** Every commit is fsynced: an acknowledged write survives a power loss. The default. */
    FULL,
    /**
     * Commits are durable across a crash of the process but the last ones may be lost on power loss
     * or an OS crash; faster.
     */
    NORMAL
  }

  private final Path file;
  private final Clock clock;
  private final Synchronous synchronous;
  private final Duration busyTimeout;
  private final int idleReaders;
  private final MigrationRunner migrations;

  private final ReentrantLock writeLock = new ReentrantLock();
  private Connection writer; // guarded by writeLock
  private final ConcurrentLinkedDeque<Connection> readers = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idle = new AtomicInteger();
  private volatile boolean closed;
  private Checkpointer checkpointer; // guarded by writeLock

  private SqliteStorage(Builder b) {
    super(new SqliteDialect());
    this.file = b.file.toAbsolutePath().normalize();
    this.clock = b.clock;
    this.synchronous = b.synchronous;
    this.busyTimeout = b.busyTimeout;
    this.idleReaders = b.idleReaders;
    this.migrations =
        MigrationRunner.fromClasspath(
            SqliteStorage.class, "/dev/taskflow/sqlite/migrations", dialect(), clock);
  }

  /** Opens (creating or migrating) the store in {@code file} with every default. */
  public static SqliteStorage open(Path file) {
    SqliteStorage s = builder(file).build();
    s.open();
    return s;
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** Settings of a {@link SqliteStorage}; each is validated when set. */
  public static final class Builder {
    private final Path file;
    private Clock clock = Clock.systemUTC();
    private Synchronous synchronous = Synchronous.FULL;
    private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
    private int idleReaders = DEFAULT_IDLE_READERS;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** The store's clock (default: the system clock in UTC). Tests pass a manual clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@link Synchronous#FULL} by default. */
    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /** How long to wait for another process's write lock (default 10 s). */
    public Builder busyTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + timeout);
      }
      this.busyTimeout = timeout;
      return this;
    }

    /** Idle read connections kept open (default 4); more are opened under load. */
    public Builder idleReaders(int n) {
      if (n < 0 || n > 64) {
        throw new IllegalArgumentException("idleReaders must be 0..64, was " + n);
      }
      this.idleReaders = n;
      return this;
    }

    /** The store, not yet opened: call {@link SqliteStorage#open()}. */
    public SqliteStorage build() {
      return new SqliteStorage(this);
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  @Override
  protected Instant transactionNow(Connection c) {
    return now();
  }

  @Override
  public StorageCapabilities capabilities() {
    return CAPABILITIES;
  }

  /**
   * SQLite has no notifications: other processes on the same file are seen by polling. The handle
   * does nothing.
   */
  @Override
  public AutoCloseable listen(StoreListener listener) {
    return () -> {};
  }

  @Override
  protected MigrationRunner migrationRunner() {
    return migrations;
  }

  @Override
  protected void connect() throws SQLException {
    writeLock.lock();
    try {
      if (closed) throw closedException();
      if (writer != null) return;
      try {
        Path parent = file.getParent();
        if (parent != null) Files.createDirectories(parent);
      } catch (IOException e) {
        throw new StorageException(
            "cannot create the directory of the SQLite file " + file + ": " + e, e);
      }
      Connection c = connection(false);
      try (Statement st = c.createStatement()) {
        String mode;
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
          mode = rs.next() ? rs.getString(1) : "?";
        }
        if (!mode.equalsIgnoreCase("wal")) {
          throw new StorageException(
              "the SQLite file "
                  + file
                  + " could not be switched to WAL journal mode (it is '"
                  + mode
                  + "'); TaskFlow needs WAL. Is the file on a network file system?");
        }
        st.execute("PRAGMA wal_autocheckpoint = " + Checkpointer.SAFETY_NET_PAGES);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
      writer = c;
      checkpointer = new Checkpointer(file, () -> connection(false));
      checkpointer.start();
      log.info(
          "[sqlite] opened {} (journal_mode=wal, synchronous={}, busy_timeout={}ms)",
          file,
          synchronous.name().toLowerCase(Locale.ROOT),
          busyTimeout.toMillis());
    } finally {
      writeLock.unlock();
    }
  }

  private Connection connection(boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) busyTimeout.toMillis());
    config.enforceForeignKeys(true);
    if (!readOnly) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(
          synchronous == Synchronous.FULL
              ? SQLiteConfig.SynchronousMode.FULL
              : SQLiteConfig.SynchronousMode.NORMAL);
    }
    Connection c = config.createConnection("jdbc:sqlite:" + file);
    if (readOnly) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA query_only = 1");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  @Override
  protected <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
    writeLock.lock();
    try {
      if (closed) throw closedException();
      if (writer == null) {
        throw new StorageException("the SQLite store " + file + " is not open: call open() first");
      }
      Connection c = writer;
      try (Statement st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
      }
      boolean committed = false;
      try {
        T result = work.run(c);
        try (Statement st = c.createStatement()) {
          st.execute("COMMIT");
        }
        committed = true;
        checkpointer.committed();
        return result;
      } finally {
        if (!committed) rollbackQuietly(c);
      }
    } finally {
      writeLock.unlock();
    }
  }

  private static void rollbackQuietly(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite may have rolled back already (e.g. after SQLITE_FULL); nothing is left to undo.
      log.debug("[sqlite] rollback after a failed write: {}", e.getMessage());
    }
  }

  @Override
  protected <T> T inReadConnection(SqlWork<T> work) throws SQLException {
    if (closed) throw closedException();
    Connection c = readers.pollFirst();
    if (c != null) idle.decrementAndGet();
    else c = connection(true);
    boolean healthy = false;
    try {
      T result = work.run(c);
      healthy = true;
      return result;
    } finally {
      release(c, healthy);
    }
  }

  private void release(Connection c, boolean healthy) {
    if (healthy && !closed) {
      if (idle.incrementAndGet() <= idleReaders) {
        readers.addFirst(c);
        if (closed && readers.remove(c)) closeQuietly(c); // close() ran meanwhile
        return;
      }
      idle.decrementAndGet();
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("[sqlite] closing a connection: {}", e.getMessage());
    }
  }

  private StorageException closedException() {
    return new StorageException("the SQLite store " + file + " is closed");
  }

  @Override
  public void close() {
    closed = true;
    writeLock.lock();
    try {
      if (checkpointer != null) {
        checkpointer.stop();
        checkpointer = null;
      }
      if (writer != null) {
        closeQuietly(writer);
        writer = null;
      }
    } finally {
      writeLock.unlock();
    }
    Connection c;
    while ((c = readers.pollFirst()) != null) closeQuietly(c);
  }

  /** The value of {@code PRAGMA name} on the write connection (for tests and diagnostics). */
  String writerPragma(String name) {
    if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("not a pragma: " + name);
    writeLock.lock();
    try {
      if (writer == null) throw closedException();
      try (Statement st = writer.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA " + name)) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StorageException("PRAGMA " + name + " failed on " + this + ": " + e, e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "sqlite store " + file;
  }
}
