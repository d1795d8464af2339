package dev.taskflow.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.taskflow.TaskFlow;
import org.junit.jupiter.api.Test;

/**
 * The web layer talks to TaskFlow only through its public client API, never to a store, the engine
 * or the engine's facade, and knows none of its plugins: webhooks and the dashboard depend on it,
 * never the other way round. (taskflow-webhooks and taskflow-dashboard check the facade rule on
 * their own classes in their own LayeringTest.)
 */
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

  @Test
  void the_web_layer_reaches_taskflow_through_the_client_never_the_engine_facade() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.web..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(TaskFlow.class)
        .because("taskflow-web serves any TaskFlowClient (an embedded engine or a remote one)")
        .check(web);
  }

  @Test
  void the_web_layer_knows_none_of_its_plugins() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.taskflow.webhooks..", "dev.taskflow.dashboard..")
        .because("webhooks and the dashboard mount on the web layer through WebPlugin")
        .check(web);
  }
}
