package dev.taskflow.benchmarks;

import java.time.Duration;

/**
 * How much work each figure does. {@link #full} is the recorded run; {@link #quick} is the smoke
 * test that runs in CI in seconds and proves only that every figure is produced.
 *
 * @param jobs jobs in the drain and in the bulk enqueue
 * @param history finished jobs already in the table for the second drain
 * @param singleJobs jobs enqueued one call at a time (Java)
 * @param httpSingleJobs jobs posted one request at a time (HTTP)
 * @param latencySamples sequential samples on an idle server
 * @param loadDuration how long the steady load runs
 * @param concurrency the queue's concurrency on the server under test
 */
record Plan(
    int jobs,
    int history,
    int singleJobs,
    int httpSingleJobs,
    int latencySamples,
    Duration loadDuration,
    int concurrency) {
  static final int BULK_BATCH = 1000;
  static final int CEILING_BATCH = 100;
  static final int CLIENT_THREADS = 4;

  static Plan full(int jobs, int concurrency) {
    return new Plan(jobs, 1_000_000, 20_000, 5_000, 1_000, Duration.ofSeconds(10), concurrency);
  }

  static Plan quick(int concurrency) {
    return new Plan(1_000, 2_000, 200, 50, 30, Duration.ofMillis(500), concurrency);
  }

  /** Whether this is the quick smoke plan (short sampling windows). */
  boolean quick() {
    return jobs <= 1_000;
  }

  /** {@code 100k} for 100,000: the suffix of the drain figures' names. */
  static String count(int n) {
    if (n >= 1_000_000 && n % 1_000_000 == 0) return n / 1_000_000 + "m";
    if (n >= 1_000 && n % 1_000 == 0) return n / 1_000 + "k";
    return Integer.toString(n);
  }
}
