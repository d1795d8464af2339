package dev.taskflow.webhooks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.taskflow.TaskFlow;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery and its routes reach TaskFlow through PluginContext and TaskFlowClient only:
 * never the engine's facade, a store, the SPI or engine internals, so it works on whatever TaskFlow
 * it is given. Checked on this module's own classes, where the rule can fail.
 */
class LayeringTest {
  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.webhooks");

  @Test
  void no_class_uses_the_engine_facade() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.webhooks..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(TaskFlow.class)
        .check(classes);
  }

  @Test
  void no_class_uses_a_store_the_spi_or_engine_internals() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.webhooks..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.internal..", "dev.taskflow.spi..", "dev.taskflow.memory..")
        .check(classes);
  }
}
