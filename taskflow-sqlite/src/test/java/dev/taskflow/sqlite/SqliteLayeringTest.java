package dev.taskflow.sqlite;

import static dev.taskflow.fixtures.LayeringRules.mainClassesAround;
import static dev.taskflow.fixtures.LayeringRules.reachesNoneNorTheFacade;

import org.junit.jupiter.api.Test;

/** The SQLite store builds on the shared JDBC store and the SPI, never on the engine. */
class SqliteLayeringTest {
  @Test
  void sqlite_sees_the_spi_the_jdbc_store_and_no_engine_or_other_database() {
    reachesNoneNorTheFacade(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.postgres..",
            "org.postgresql..")
        .check(mainClassesAround(SqliteStorage.class));
  }
}
