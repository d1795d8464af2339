package dev.taskflow.spi;

import dev.taskflow.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * @param oldestEnqueuedAt the scheduledAt of the oldest enqueued job, or null
 */
public record QueueStats(
    String queue, Map<JobState, Long> counts, Instant oldestEnqueuedAt, boolean paused) {
  public QueueStats {
    counts = Map.copyOf(counts);
  }
}
