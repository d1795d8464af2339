package dev.taskflow.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.taskflow.TaskFlow;
import dev.taskflow.spi.Storage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's layering, checked on its compiled classes (this module's, nothing else's). */
class CoreLayeringTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.taskflow");

  @Test
  void the_rules_see_the_core() {
    assertThat(CORE.contain(TaskFlow.class)).isTrue();
    assertThat(CORE.contain(Storage.class)).isTrue();
  }

  @Test
  void the_core_imports_no_web_spring_or_jdbc_class() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "org.springframework..", "java.sql..", "jakarta.servlet..", "gg.jte..")
        .check(CORE);
  }

  @Test
  void the_storage_spi_does_not_reach_into_the_engine_or_the_facade() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(TaskFlow.class, dev.taskflow.TaskFlowBuilder.class)
        .check(CORE);
  }

  @Test
  void the_in_memory_store_sees_only_the_public_api_and_the_spi() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.memory..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(TaskFlow.class, dev.taskflow.TaskFlowBuilder.class)
        .check(CORE);
  }

  @Test
  void the_engine_never_reaches_back_into_the_facade() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.internal..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            TaskFlow.class, dev.taskflow.TaskFlowBuilder.class, dev.taskflow.PluginContext.class)
        .check(CORE);
  }

  @Test
  void no_public_method_of_the_public_api_exposes_an_internal_type() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("dev.taskflow")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should()
        .haveRawReturnType(
            DescribedPredicate.describe(
                "a type outside dev.taskflow.internal",
                (JavaClass c) -> !c.getPackageName().startsWith("dev.taskflow.internal")))
        .check(CORE);
  }

  /** The facade an application calls stays small: extension hooks belong to plugins. */
  @Test
  void the_facade_has_at_most_25_public_instance_methods() {
    List<String> methods =
        Arrays.stream(TaskFlow.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> m.getDeclaringClass() != Object.class)
            .filter(m -> !m.isBridge() && !m.isSynthetic())
            .map(CoreLayeringTest::signature)
            .distinct()
            .sorted()
            .toList();
    assertThat(methods).as("public instance methods of TaskFlow").hasSizeLessThanOrEqualTo(25);
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }
}
