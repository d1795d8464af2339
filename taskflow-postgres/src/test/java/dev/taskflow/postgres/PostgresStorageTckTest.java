package dev.taskflow.postgres;

import dev.taskflow.fixtures.PgTestDatabase;
import dev.taskflow.spi.Storage;
import dev.taskflow.tck.StorageTck;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * The storage contract on the real PostgreSQL, each test in its own schema. The TCK's manual clock
 * replaces the database's (a test-only builder option) so tests can move time.
 */
class PostgresStorageTckTest extends StorageTck {
  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

  @Override
  protected Storage createStorage(Clock clock) {
    PgTestDatabase.requireAvailable();
    String schema = PgTestDatabase.newSchema("tck");
    SCHEMAS.add(schema);
    return PostgresStorage.builder(PgTestDatabase.url(schema)).clock(clock).build();
  }

  @Override
  protected Storage reopen(Storage closed, Clock clock) {
    return PostgresStorage.builder(PgTestDatabase.url(((PostgresStorage) closed).schema()))
        .clock(clock)
        .build();
  }

  @AfterAll
  static void dropSchemas() {
    for (String s : SCHEMAS) PgTestDatabase.dropSchema(s);
    SCHEMAS.clear();
  }
}
