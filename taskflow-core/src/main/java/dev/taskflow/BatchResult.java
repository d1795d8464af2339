package dev.taskflow;

import java.util.List;
import java.util.UUID;

/**
 * What {@link Batches#enqueue} stored.
 *
 * @param batchId the new batch's id
 * @param jobs one result per member, in order (a member whose unique key was held is a duplicate
 *     and not part of the batch)
 * @param callbackJobId the id the callback job will have, or null without one
 */
public record BatchResult(UUID batchId, List<EnqueueResult> jobs, UUID callbackJobId) {
  public BatchResult {
    jobs = List.copyOf(jobs);
  }
}
