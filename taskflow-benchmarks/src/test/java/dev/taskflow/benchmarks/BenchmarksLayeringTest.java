package dev.taskflow.benchmarks;

import static dev.taskflow.fixtures.LayeringRules.mainClassesAround;
import static dev.taskflow.fixtures.LayeringRules.reachesNone;

import org.junit.jupiter.api.Test;

/** Benchmarks measure what users get: the public API, the SPI and the HTTP API, no internals. */
class BenchmarksLayeringTest {
  @Test
  void benchmarks_use_no_engine_internals() {
    reachesNone("dev.taskflow.internal..").check(mainClassesAround(BenchCommand.class));
  }
}
