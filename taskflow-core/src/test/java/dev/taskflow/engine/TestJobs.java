package dev.taskflow.engine;

import dev.taskflow.JobArgs;
import dev.taskflow.JobType;

/** Job args used across the engine tests. */
final class TestJobs {
  private TestJobs() {}

  @JobType("test.echo")
  record Echo(String text) implements JobArgs {}

  @JobType("test.fail")
  record Fail(String message) implements JobArgs {}

  @JobType("test.block")
  record Block(String name) implements JobArgs {}
}
