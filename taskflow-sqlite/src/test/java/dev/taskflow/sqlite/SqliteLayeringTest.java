package dev.taskflow.sqlite;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SQLite store builds on the shared JDBC store and the SPI, never on the engine. */
class SqliteLayeringTest {
  private static final JavaClasses SQLITE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.sqlite");

  @Test
  void sqlite_sees_the_spi_the_jdbc_store_and_no_engine_or_other_database() {
    assertThat(SQLITE.contain(SqliteStorage.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.postgres..",
            "org.postgresql..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.taskflow.TaskFlow")
        .check(SQLITE);
  }
}
