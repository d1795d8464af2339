package dev.taskflow;

import java.time.Duration;
import java.util.Map;

/**
 * A queue's depth and health.
 *
 * @param name the queue
 * @param counts jobs per state (states with none may be absent)
 * @param oldestEnqueuedAge how long the oldest ready job has waited, or null when none waits
 * @param paused whether claiming is paused (on every server)
 * @param maxDepth the most waiting jobs (enqueued, scheduled, awaiting) the queue accepts, or null
 *     when unbounded; see {@link TaskFlowClient#setQueueMaxDepth}
 */
public record QueueInfo(
    String name,
    Map<JobState, Long> counts,
    Duration oldestEnqueuedAge,
    boolean paused,
    Integer maxDepth) {
  public QueueInfo {
    counts = Map.copyOf(counts);
  }

  /** An unbounded queue. */
  public QueueInfo(
      String name, Map<JobState, Long> counts, Duration oldestEnqueuedAge, boolean paused) {
    this(name, counts, oldestEnqueuedAge, paused, null);
  }

  /** The waiting jobs that count against {@link #maxDepth}: enqueued, scheduled and awaiting. */
  public long depth() {
    return counts.getOrDefault(JobState.ENQUEUED, 0L)
        + counts.getOrDefault(JobState.SCHEDULED, 0L)
        + counts.getOrDefault(JobState.AWAITING, 0L);
  }
}
