package dev.taskflow.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shared JDBC store: the SPI and the public API only, and no dialect of its own. */
class JdbcLayeringTest {
  private static final JavaClasses JDBC =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.jdbc");

  @Test
  void the_jdbc_store_uses_only_the_spi_and_the_public_api_of_the_core() {
    assertThat(JDBC.contain(JdbcStorage.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.taskflow.internal..", "dev.taskflow.memory..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.taskflow.TaskFlow")
        .check(JDBC);
  }

  @Test
  void the_shared_jdbc_code_knows_no_database_of_its_own() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.sqlite..", "dev.taskflow.postgres..", "org.sqlite..", "org.postgresql..")
        .check(JDBC);
  }
}
