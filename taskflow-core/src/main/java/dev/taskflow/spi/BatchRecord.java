package dev.taskflow.spi;

import dev.taskflow.JobState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A batch as the store keeps it.
 *
 * @param id the batch id
 * @param state {@value #OPEN}, {@value #COMPLETED} or {@value #FAILED}
 * @param specJson the batch's {@link BatchSpec} as JSON
 * @param total how many members were inserted with it
 * @param counts members per state (every state present, zero when none); members removed by
 *     retention are no longer counted
 * @param createdAt when it was inserted (store clock)
 * @param finishedAt when it left {@code open}, or null
 */
public record BatchRecord(
    UUID id,
    String state,
    String specJson,
    int total,
    Map<JobState, Long> counts,
    Instant createdAt,
    Instant finishedAt) {
  public static final String OPEN = "open";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  public BatchRecord {
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }
}
