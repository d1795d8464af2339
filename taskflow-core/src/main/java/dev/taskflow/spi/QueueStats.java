package dev.taskflow.spi;

import dev.taskflow.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * @param oldestEnqueuedAt the scheduledAt of the oldest enqueued job, or null
 * @param maxDepth the most waiting jobs the queue may hold ({@link Storage#queueSetMaxDepth}), or
 *     null when unbounded
 */
public record QueueStats(
    String queue,
    Map<JobState, Long> counts,
    Instant oldestEnqueuedAt,
    boolean paused,
    Integer maxDepth) {
  public QueueStats {
    counts = Map.copyOf(counts);
  }

  /** Stats of an unbounded queue. */
  public QueueStats(
      String queue, Map<JobState, Long> counts, Instant oldestEnqueuedAt, boolean paused) {
    this(queue, counts, oldestEnqueuedAt, paused, null);
  }

  /** The waiting jobs that count against {@link #maxDepth}: enqueued, scheduled and awaiting. */
  public long depth() {
    return depthOf(counts);
  }

  /** The waiting jobs among per-state counts: enqueued, scheduled and awaiting. */
  public static long depthOf(Map<JobState, Long> counts) {
    return counts.getOrDefault(JobState.ENQUEUED, 0L)
        + counts.getOrDefault(JobState.SCHEDULED, 0L)
        + counts.getOrDefault(JobState.AWAITING, 0L);
  }
}
