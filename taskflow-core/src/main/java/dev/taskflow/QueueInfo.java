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
 */
public record QueueInfo(
    String name, Map<JobState, Long> counts, Duration oldestEnqueuedAge, boolean paused) {
  public QueueInfo {
    counts = Map.copyOf(counts);
  }
}
