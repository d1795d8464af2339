package dev.taskflow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The flow-control settings of a job, as the store holds them. {@link #NONE} when a job uses none.
 *
 * @param dependsOn the parents this job waits for in {@code awaiting}; empty when none
 * @param onParentFailure what happens when a parent does not complete; null when no parents
 * @param batchId the batch the job belongs to, or null
 * @param concurrencyKey the key that per-key concurrency limits count by, or null
 * @param uniqueUntil while before this time, the job's unique key blocks duplicates in any state (a
 *     unique key scoped "for a period"); null for the default scope, "while live"
 * @param startBy a job not started by this time is cancelled with reason {@code expired}; or null
 */
public record JobFlow(
    List<UUID> dependsOn,
    ParentFailure onParentFailure,
    UUID batchId,
    String concurrencyKey,
    Instant uniqueUntil,
    Instant startBy) {

  public static final JobFlow NONE = new JobFlow(List.of(), null, null, null, null, null);

  public JobFlow {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  /** True when no setting is used. */
  public boolean isNone() {
    return dependsOn.isEmpty()
        && onParentFailure == null
        && batchId == null
        && concurrencyKey == null
        && uniqueUntil == null
        && startBy == null;
  }
}
