package dev.taskflow.benchmarks;

import dev.taskflow.JobArgs;
import dev.taskflow.JobType;

/**
 * The benchmark's no-op job. {@code t} is {@link System#nanoTime()} taken just before the enqueue
 * call (0 when the figure does not measure latency); the worker compares it with its own first
 * line, in the same process.
 */
@JobType(Noop.TYPE)
record Noop(long t) implements JobArgs {
  static final String TYPE = "bench.noop";
  static final String ARGS_ZERO = "{\"t\":0}";
}
