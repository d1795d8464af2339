package dev.taskflow.tck;

import static dev.taskflow.fixtures.LayeringRules.mainClassesAround;
import static dev.taskflow.fixtures.LayeringRules.reachesNoneNorTheFacade;

import org.junit.jupiter.api.Test;

/** The TCK judges a store through the SPI alone, so any store can run it, the shipped ones too. */
class TckLayeringTest {
  @Test
  void the_tck_sees_the_spi_and_the_public_api_but_no_engine_and_no_shipped_store() {
    reachesNoneNorTheFacade(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.jdbc..",
            "dev.taskflow.sqlite..",
            "dev.taskflow.postgres..")
        .check(mainClassesAround(StorageTck.class));
  }
}
