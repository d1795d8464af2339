package dev.taskflow.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line: the server and worker embed the engine, the other commands speak HTTP only. */
class ServerLayeringTest {
  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.server");

  /** The commands that run the engine or touch the store themselves; every other one is HTTP. */
  private static final Set<String> EMBEDDING =
      Set.of("ServerCommand", "WorkerCommand", "MigrateCommand", "EngineOptions");

  private static final DescribedPredicate<JavaClass> HTTP_COMMANDS =
      DescribedPredicate.describe(
          "are commands that speak HTTP (every *Command but " + EMBEDDING + ", nested ones too)",
          c -> {
            String top = c.getName().substring(c.getPackageName().length() + 1).split("\\$")[0];
            return top.endsWith("Command") && !EMBEDDING.contains(top);
          });

  @Test
  void the_rule_on_http_commands_sees_them() {
    assertThat(SERVER.stream().filter(HTTP_COMMANDS::test).map(JavaClass::getSimpleName))
        .contains("EnqueueCommand", "QueuesCommand", "JobsCommand");
  }

  @Test
  void no_command_reaches_into_the_engine() {
    assertThat(SERVER.contain(Main.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
        .check(SERVER);
  }

  @Test
  void the_http_commands_hold_no_engine_store_or_web_server() {
    noClasses()
        .that(HTTP_COMMANDS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskflow.spi..", "dev.taskflow.jdbc..", "dev.taskflow.web..", "io.javalin..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.taskflow.TaskFlow")
        .check(SERVER);
  }
}
