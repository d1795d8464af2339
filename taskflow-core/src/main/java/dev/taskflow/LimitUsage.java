package dev.taskflow;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much of a limit is in use now, per bucket ({@code ""} for a global limit and for jobs without
 * an owner under an owner limit; the owner or concurrency key otherwise).
 *
 * @param name the limit's name
 * @param running processing jobs per bucket (buckets with none are absent)
 * @param recentStarts starts within the last rate period per bucket; empty for a limit without a
 *     rate
 */
public record LimitUsage(String name, Map<String, Long> running, Map<String, Long> recentStarts) {
  public LimitUsage {
    running =
        running == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(running));
    recentStarts =
        recentStarts == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(recentStarts));
  }

  /** Processing jobs over all buckets. */
  public long totalRunning() {
    return running.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Starts within the last rate period over all buckets. */
  public long totalRecentStarts() {
    return recentStarts.values().stream().mapToLong(Long::longValue).sum();
  }
}
