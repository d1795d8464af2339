package dev.taskflow.postgres;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store builds on the shared JDBC store and the SPI, never on the engine. */
class PostgresLayeringTest {
  private static final JavaClasses POSTGRES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.postgres");

  @Test
  void postgres_sees_the_spi_the_jdbc_store_and_no_engine_or_other_database() {
    assertThat(POSTGRES.contain(PostgresStorage.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.sqlite..",
            "org.sqlite..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.taskflow.TaskFlow")
        .check(POSTGRES);
  }
}
