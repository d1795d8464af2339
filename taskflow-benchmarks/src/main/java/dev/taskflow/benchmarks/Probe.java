package dev.taskflow.benchmarks;

import dev.taskflow.Worker;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The no-op worker and what it observes: starts, and enqueue-to-start latencies. */
final class Probe {
  private final long[] latencies;
  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicLong started = new AtomicLong();
  private final Semaphore starts = new Semaphore(0);

  Probe(int maxSamples) {
    this.latencies = new long[maxSamples];
  }

  /** Its first line reads the clock; nothing else happens in the job. */
  Worker<Noop> worker() {
    return (args, ctx) -> {
      long now = System.nanoTime();
      if (args.t() != 0) {
        int i = recorded.getAndIncrement();
        if (i < latencies.length) latencies[i] = now - args.t();
      }
      started.incrementAndGet();
      starts.release();
      return null;
    };
  }

  long started() {
    return started.get();
  }

  Semaphore starts() {
    return starts;
  }

  /** p50, p99 and max in milliseconds of the samples recorded so far, and their count. */
  Percentiles percentiles() {
    int n = Math.min(recorded.get(), latencies.length);
    long[] s = Arrays.copyOf(latencies, n);
    Arrays.sort(s);
    return new Percentiles(n, at(s, 0.50), at(s, 0.99), n == 0 ? 0 : s[n - 1] / 1e6);
  }

  private static double at(long[] sorted, double q) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  record Percentiles(int samples, double p50Ms, double p99Ms, double maxMs) {}
}
