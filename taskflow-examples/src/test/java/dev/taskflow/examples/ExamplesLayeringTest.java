package dev.taskflow.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** Examples show what an application writes: the public API only, never the SPI or internals. */
class ExamplesLayeringTest {
  // the examples live in the test sources too: they are run as tests
  private static final JavaClasses EXAMPLES =
      new ClassFileImporter().importPackages("dev.taskflow.examples");

  @Test
  void examples_use_the_public_api_only() {
    assertThat(EXAMPLES.contain(EmbeddingExample.class)).isTrue();
    noClasses()
        .that()
        .doNotHaveSimpleName("ExamplesLayeringTest")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.taskflow.internal..", "dev.taskflow.spi..")
        .check(EXAMPLES);
  }
}
