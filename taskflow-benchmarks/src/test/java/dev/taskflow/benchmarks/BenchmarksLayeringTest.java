package dev.taskflow.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Benchmarks measure what users get: the public API, the SPI and the HTTP API, no internals. */
class BenchmarksLayeringTest {
  private static final JavaClasses BENCH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskflow.benchmarks");

  @Test
  void benchmarks_use_no_engine_internals() {
    assertThat(BENCH.contain(BenchCommand.class)).isTrue();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskflow.internal..")
        .check(BENCH);
  }
}
