package dev.taskflow.benchmarks;

import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.postgres.PostgresUrl;
import dev.taskflow.spi.Storage;
import dev.taskflow.sqlite.SqliteStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A store under test, given as on the command line: {@code memory}, {@code sqlite:PATH} or {@code
 * postgres://…}. Every figure gets a fresh, empty store: for SQLite the file (a scratch file the
 * benchmark owns; it refuses one that exists) is deleted before each figure and at the end.
 */
final class BenchStore {
  enum Kind {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  /** The schema every PostgreSQL figure recreates (dropped at the end). */
  static final String PG_SCHEMA = "taskflow_bench";

  private final String spec;
  private final Kind kind;
  private final Path file;

  private BenchStore(String spec, Kind kind, Path file) {
    this.spec = spec;
    this.kind = kind;
    this.file = file;
  }

  static BenchStore parse(String spec) {
    if (spec.equals("memory")) return new BenchStore(spec, Kind.MEMORY, null);
    if (spec.startsWith("sqlite:") && spec.length() > "sqlite:".length()) {
      Path f = Path.of(spec.substring("sqlite:".length())).toAbsolutePath().normalize();
      if (Files.exists(f)) {
        throw new IllegalArgumentException(
            "sqlite:"
                + f
                + " exists; the benchmark deletes and recreates its file for every figure, so"
                + " give it a path that does not exist yet");
      }
      return new BenchStore(spec, Kind.SQLITE, f);
    }
    if (spec.startsWith("postgres://") || spec.startsWith("postgresql://")) {
      return new BenchStore(spec, Kind.POSTGRES, null);
    }
    throw new IllegalArgumentException(
        "'" + spec + "' is not a store: use memory, sqlite:PATH or postgres://USER@HOST:PORT/DB");
  }

  /** A scratch SQLite file in the temp directory, for the default store list. */
  static BenchStore scratchSqlite() {
    try {
      Path dir = Files.createTempDirectory("taskflow-bench");
      dir.toFile().deleteOnExit();
      return parse("sqlite:" + dir.resolve("bench.db"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for the SQLite file", e);
    }
  }

  String label() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  Kind kind() {
    return kind;
  }

  /** The {@code --store} argument of the child server. */
  String serverSpec() {
    return switch (kind) {
      case SQLITE -> "sqlite:" + file;
      case POSTGRES -> {
        String base = spec.replaceAll("([?&])schema=[^&]*&?", "$1").replaceAll("[?&]$", "");
        yield base + (base.contains("?") ? "&" : "?") + "schema=" + PG_SCHEMA;
      }
      case MEMORY -> spec;
    };
  }

  /** A new, empty store (not opened: TaskFlow opens it). */
  Storage fresh() {
    return switch (kind) {
      case MEMORY -> new InMemoryStorage();
      case SQLITE -> {
        wipe();
        yield SqliteStorage.builder(file).build();
      }
      case POSTGRES -> {
        wipe();
        yield PostgresStorage.builder(spec).schema(PG_SCHEMA).build();
      }
    };
  }

  /** A plain JDBC connection to the same database, with the store's durability settings. */
  Connection jdbc() throws SQLException {
    return switch (kind) {
      case SQLITE -> {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA busy_timeout=10000");
        }
        yield c;
      }
      case MEMORY -> throw new IllegalStateException("the memory store has no JDBC connection");
      case POSTGRES -> {
        PostgresUrl u = PostgresUrl.parse(spec);
        Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
        try (Statement s = c.createStatement()) {
          s.execute("SET search_path TO " + PG_SCHEMA);
        }
        yield c;
      }
    };
  }

  /**
   * Refreshes the planner's statistics after a bulk fill (PostgreSQL), as autoanalyze would have in
   * a live system by the time such a backlog is worked: without it the first claims plan against an
   * empty table. A no-op for the other stores.
   */
  void analyze() {
    if (kind != Kind.POSTGRES) return;
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "ANALYZE of the benchmark schema failed: " + e.getMessage(), e);
    }
  }

  boolean hasJdbc() {
    return kind != Kind.MEMORY;
  }

  /** Deletes the scratch file and its WAL. */
  void wipe() {
    if (kind == Kind.POSTGRES) {
      PostgresUrl u = PostgresUrl.parse(spec);
      try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot reset the benchmark schema " + PG_SCHEMA + ": " + e.getMessage(), e);
      }
      return;
    }
    if (file == null) return;
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the benchmark's SQLite file " + file, e);
    }
  }

  @Override
  public String toString() {
    return kind == Kind.SQLITE
        ? "sqlite:" + file
        : kind == Kind.POSTGRES ? PostgresUrl.redact(spec) : spec;
  }
}
