package dev.taskflow.spi;

import java.util.UUID;

/**
 * A user's request to change one job.
 *
 * <ul>
 *   <li>{@link Action#CANCEL}: any unfinished state to cancelled; clears the lease.
 *   <li>{@link Action#RETRY}: failed or cancelled to enqueued, due now; {@code maxAttempts} grows
 *       to at least {@code attempt + 1}.
 *   <li>{@link Action#DELETE}: any state but deleted to deleted; clears the lease.
 * </ul>
 */
public record JobChangeStateParams(UUID id, Action action, String reason, String serverId) {
  public enum Action {
    CANCEL,
    RETRY,
    DELETE
  }
}
