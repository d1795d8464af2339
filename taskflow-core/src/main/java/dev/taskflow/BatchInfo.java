package dev.taskflow;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A batch and its progress.
 *
 * @param id the batch id
 * @param state {@code open} while a member has not finished, then {@code completed} (every member
 *     completed) or {@code failed} (some member failed, was cancelled or deleted)
 * @param description as given, or null
 * @param metadataJson as given, or null
 * @param total how many members were enqueued with it
 * @param counts members per state (every state present); a member removed by retention is no longer
 *     counted
 * @param callbackJobId the id the callback job has (once enqueued), or null without one
 * @param createdAt when it was enqueued
 * @param finishedAt when it left {@code open}, or null
 */
public record BatchInfo(
    UUID id,
    String state,
    String description,
    String metadataJson,
    int total,
    Map<JobState, Long> counts,
    UUID callbackJobId,
    Instant createdAt,
    Instant finishedAt) {

  public BatchInfo {
    counts = Map.copyOf(counts);
  }

  /** True once every member finished and the batch is completed or failed. */
  public boolean isFinished() {
    return !state.equals("open");
  }

  /** How many members are in {@code state}. */
  public long count(JobState state) {
    return counts.getOrDefault(state, 0L);
  }
}
