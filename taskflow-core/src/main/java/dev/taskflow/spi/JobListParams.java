package dev.taskflow.spi;

import dev.taskflow.JobState;
import java.util.Set;
import java.util.UUID;

/**
 * @param states only these states; empty means every state but deleted
 * @param beforeId keyset cursor: only ids strictly below it (null for the first page)
 * @param limit at most this many
 */
public record JobListParams(
    Set<JobState> states,
    String type,
    String queue,
    String owner,
    String tag,
    UUID beforeId,
    int limit) {
  public JobListParams {
    states = states == null ? Set.of() : Set.copyOf(states);
  }
}
