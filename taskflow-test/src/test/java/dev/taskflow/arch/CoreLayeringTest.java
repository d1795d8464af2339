package dev.taskflow.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core's layering, checked on its compiled classes. */
class CoreLayeringTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow");

  @Test
  void the_core_imports_no_web_spring_or_jdbc_class() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow..")
        .and()
        .resideOutsideOfPackages(
            "dev.taskflow.jdbc..",
            "dev.taskflow.sqlite..",
            "dev.taskflow.web..",
            "dev.taskflow.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "org.springframework..", "java.sql..", "jakarta.servlet..")
        .check(CORE);
  }

  @Test
  void the_storage_spi_does_not_reach_into_the_engine() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
        .check(CORE);
  }

  @Test
  void stores_see_only_the_public_api_and_the_spi() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskflow.memory..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
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
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a type outside dev.taskflow.internal",
                (com.tngtech.archunit.core.domain.JavaClass c) ->
                    !c.getPackageName().startsWith("dev.taskflow.internal")))
        .check(CORE);
  }
}
