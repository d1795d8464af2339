package dev.taskflow.postgres;

import static dev.taskflow.fixtures.LayeringRules.mainClassesAround;
import static dev.taskflow.fixtures.LayeringRules.reachesNoneNorTheFacade;

import org.junit.jupiter.api.Test;

/** The PostgreSQL store builds on the shared JDBC store and the SPI, never on the engine. */
class PostgresLayeringTest {
  @Test
  void postgres_sees_the_spi_the_jdbc_store_and_no_engine_or_other_database() {
    reachesNoneNorTheFacade(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.sqlite..",
            "org.sqlite..")
        .check(mainClassesAround(PostgresStorage.class));
  }
}
