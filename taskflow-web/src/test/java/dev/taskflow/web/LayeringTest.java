package dev.taskflow.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The web layer talks to TaskFlow only through its public API, never to a store or the engine. */
class LayeringTest {
  private final JavaClasses web =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.web");

  @Test
  void the_web_layer_uses_no_store_no_spi_and_no_engine_internals() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.internal..", "dev.taskflow.spi..", "dev.taskflow.memory..")
        .check(web);
  }
}
