package dev.taskflow;

import java.util.UUID;

/**
 * The outcome of one enqueue.
 *
 * @param job the stored job: the new one, or the live job that already held the unique key
 * @param duplicate true when {@code uniqueKey} matched a live job and nothing new was stored
 */
public record EnqueueResult(Job job, boolean duplicate) {

  /** The stored job's id. */
  public UUID id() {
    return job.id();
  }
}
