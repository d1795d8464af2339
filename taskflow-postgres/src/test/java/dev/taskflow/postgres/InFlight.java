package dev.taskflow.postgres;

import dev.taskflow.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What the handlers of all nodes in this JVM see: jobs in flight at once, in total ({@link #ALL})
 * and per {@code type=…}, {@code owner=…} and {@code key=…} (concurrency key; {@link #KEYED} for
 * all jobs with one), with the largest count each reached. The database's view is {@link
 * RunningSampler}'s.
 */
final class InFlight {
  static final String ALL = "all";

  /** Jobs with any concurrency key. */
  static final String KEYED = "keyed";

  private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
  private final Map<String, Integer> max = new ConcurrentHashMap<>();

  /** Runs "the work" of a job: parks for {@code work} while the job counts as in flight. */
  void run(Job job, Duration work) {
    List<String> buckets = buckets(job);
    for (String b : buckets) {
      int n = now.computeIfAbsent(b, k -> new AtomicInteger()).incrementAndGet();
      max.merge(b, n, Math::max);
    }
    try {
      LockSupport.parkNanos(work.toNanos());
    } finally {
      for (String b : buckets) now.get(b).decrementAndGet();
    }
  }

  /** The largest number of jobs of this bucket in flight at once; 0 when none ran. */
  int max(String bucket) {
    return max.getOrDefault(bucket, 0);
  }

  private static List<String> buckets(Job job) {
    List<String> out = new ArrayList<>(List.of(ALL, "type=" + job.type()));
    if (job.owner() != null) out.add("owner=" + job.owner());
    if (job.flow().concurrencyKey() != null) {
      out.add(KEYED);
      out.add("key=" + job.flow().concurrencyKey());
    }
    return out;
  }
}
