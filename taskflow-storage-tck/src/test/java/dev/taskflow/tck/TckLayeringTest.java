package dev.taskflow.tck;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The TCK judges a store through the SPI alone, so any store can run it, the shipped ones too. */
class TckLayeringTest {
  private static final JavaClasses TCK =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.tck");

  @Test
  void the_tck_sees_the_spi_and_the_public_api_but_no_engine_and_no_shipped_store() {
    assertThat(TCK.contain(StorageTck.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.internal..",
            "dev.taskflow.memory..",
            "dev.taskflow.jdbc..",
            "dev.taskflow.sqlite..",
            "dev.taskflow.postgres..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.taskflow.TaskFlow")
        .check(TCK);
  }
}
