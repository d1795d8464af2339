package dev.taskflow.cluster;

import dev.taskflow.spi.Storage;
import dev.taskflow.sqlite.SqliteStorage;
import java.nio.file.Path;

/** Several processes on one SQLite file: the harness's baseline, and a check of the file store. */
record SqliteClusterStore(Path file) implements ClusterStore {
  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public String cliStore() {
    return "sqlite:" + file;
  }

  @Override
  public Storage newStorage() {
    return SqliteStorage.builder(file).build();
  }

  @Override
  public void close() {
    // the file lives in the test's work directory
  }
}
