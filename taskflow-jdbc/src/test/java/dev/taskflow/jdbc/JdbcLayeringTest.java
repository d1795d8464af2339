package dev.taskflow.jdbc;

import static dev.taskflow.fixtures.LayeringRules.mainClassesAround;
import static dev.taskflow.fixtures.LayeringRules.reachesNone;
import static dev.taskflow.fixtures.LayeringRules.reachesNoneNorTheFacade;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The shared JDBC store: the SPI and the public API only, and no dialect of its own. */
class JdbcLayeringTest {
  private static final JavaClasses JDBC = mainClassesAround(JdbcStorage.class);

  @Test
  void the_jdbc_store_uses_only_the_spi_and_the_public_api_of_the_core() {
    reachesNoneNorTheFacade("dev.taskflow.internal..", "dev.taskflow.memory..").check(JDBC);
  }

  @Test
  void the_shared_jdbc_code_knows_no_database_of_its_own() {
    reachesNone(
            "dev.taskflow.sqlite..", "dev.taskflow.postgres..", "org.sqlite..", "org.postgresql..")
        .check(JDBC);
  }
}
