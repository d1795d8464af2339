package dev.taskflow.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The test kit needs the JDK only: taskflow-core's own tests use it, so it must not need the core.
 */
class TestKitLayeringTest {
  private static final JavaClasses KIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.test");

  @Test
  void the_kit_depends_on_the_jdk_and_itself_only() {
    assertThat(KIT.contain(ManualClock.class)).isTrue();
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.taskflow.test..")
        .check(KIT);
  }
}
