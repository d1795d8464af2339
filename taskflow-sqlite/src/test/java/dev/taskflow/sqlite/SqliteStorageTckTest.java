package dev.taskflow.sqlite;

import dev.taskflow.spi.Storage;
import dev.taskflow.tck.StorageTck;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on a real SQLite file. */
class SqliteStorageTckTest extends StorageTck {
  @TempDir Path dir;

  @Override
  protected Storage createStorage(Clock clock) {
    return SqliteStorage.builder(dir.resolve("tck.db")).clock(clock).build();
  }

  @Override
  protected Storage reopen(Storage closed, Clock clock) {
    return SqliteStorage.builder(((SqliteStorage) closed).file()).clock(clock).build();
  }
}
