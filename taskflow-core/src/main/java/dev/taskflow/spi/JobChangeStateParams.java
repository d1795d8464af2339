package dev.taskflow.spi;

import java.util.UUID;

/**
 * A user's request to change one job.
 *
 * <ul>
 *   <li>{@link Action#CANCEL}: any unfinished state to cancelled; clears the lease.
 *   <li>{@link Action#RETRY}: failed or cancelled to enqueued, due now; {@code maxAttempts} grows
 *       to at least {@code attempt + 1}; a non-null {@code priority} (-100..100, checked by the
 *       caller) replaces the job's priority.
 *   <li>{@link Action#DELETE}: any state but deleted to deleted; clears the lease.
 * </ul>
 *
 * @param priority the job's new priority on a retry, or null to keep it (ignored by other actions)
 */
public record JobChangeStateParams(
    UUID id, Action action, String reason, String serverId, Integer priority) {
  public enum Action {
    CANCEL,
    RETRY,
    DELETE
  }

  /** A change that keeps the job's priority. */
  public JobChangeStateParams(UUID id, Action action, String reason, String serverId) {
    this(id, action, reason, serverId, null);
  }
}
