package dev.taskflow.spi;

import java.util.UUID;

/**
 * Appends an event of any type for a job (custom events, log lines).
 *
 * @param lease when not null, the append is fenced like a heartbeat: the event is written only
 *     while the job is {@code processing} under exactly this id, attempt and lease owner, checked
 *     in the same store operation as the insert, so a worker that lost its job can never add to its
 *     log. Null appends for any existing job (operators, the engine's own bookkeeping).
 */
public record EventAppendParams(UUID jobId, String type, String dataJson, JobLease lease) {

  /** An unfenced append. */
  public EventAppendParams(UUID jobId, String type, String dataJson) {
    this(jobId, type, dataJson, null);
  }

  /** A fenced append on behalf of the holder of {@code lease}. */
  public static EventAppendParams fenced(JobLease lease, String type, String dataJson) {
    return new EventAppendParams(lease.id(), type, dataJson, lease);
  }
}
