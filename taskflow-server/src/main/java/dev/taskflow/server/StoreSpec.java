package dev.taskflow.server;

import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.postgres.PostgresUrl;
import dev.taskflow.spi.Storage;
import dev.taskflow.sqlite.SqliteStorage;
import java.nio.file.Path;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --store} option: {@code sqlite:PATH}, {@code memory}, or a PostgreSQL URL ({@code
 * postgres://user@host:5432/db?schema=x}, {@code postgresql://..}, {@code jdbc:postgresql://..}).
 */
record StoreSpec(Path sqliteFile, String postgresUrl) {
  static final String LABEL = "sqlite:PATH|memory|postgres://USER@HOST:PORT/DB?schema=S";

  static StoreSpec memory() {
    return new StoreSpec(null, null);
  }

  boolean isMemory() {
    return sqliteFile == null && postgresUrl == null;
  }

  boolean isPostgres() {
    return postgresUrl != null;
  }

  /**
   * A new store, not yet opened.
   *
   * @param autoMigrate whether opening may apply migrations (PostgreSQL; false for teams that run
   *     DDL themselves: opening then fails while a migration is pending)
   */
  Storage create(boolean autoMigrate) {
    if (postgresUrl != null) return postgres(autoMigrate);
    return sqliteFile == null ? new InMemoryStorage() : SqliteStorage.builder(sqliteFile).build();
  }

  PostgresStorage postgres(boolean autoMigrate) {
    return PostgresStorage.builder(postgresUrl).autoMigrate(autoMigrate).build();
  }

  @Override
  public String toString() {
    if (postgresUrl != null) return PostgresUrl.redact(postgresUrl);
    return sqliteFile == null
        ? "memory (jobs vanish when the server stops)"
        : "sqlite:" + sqliteFile.toAbsolutePath().normalize();
  }

  /** Parses the option's value; the {@code --store} converter. */
  static StoreSpec parse(String value) {
    if (value.equals("memory")) return memory();
    if (value.startsWith("sqlite:") && value.length() > "sqlite:".length()) {
      return new StoreSpec(Path.of(value.substring("sqlite:".length())), null);
    }
    if (PostgresUrl.isPostgres(value)) {
      try {
        PostgresUrl.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return new StoreSpec(null, value);
    }
    throw new TypeConversionException(
        "'"
            + PostgresUrl.redact(value)
            + "' is not a store: use sqlite:PATH (e.g. sqlite:taskflow.db), memory, or"
            + " postgres://USER@HOST:5432/DB?schema=S");
  }
}
