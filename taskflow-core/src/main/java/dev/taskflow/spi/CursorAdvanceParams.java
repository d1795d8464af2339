package dev.taskflow.spi;

import java.util.List;
import java.util.Objects;

/**
 * Moves a durable cursor over the event log and inserts the jobs it produced, in one transaction.
 *
 * @param name the cursor, e.g. {@code webhooks}
 * @param expectedPosition the position the caller read; nothing is written when it moved since
 * @param newPosition the last event sequence the caller handled, at or after {@code
 *     expectedPosition}
 * @param jobs jobs to insert as {@link Storage#jobInsertMany} does (unique keys, events), possibly
 *     none
 * @param serverId the server writing, for the jobs' history
 */
public record CursorAdvanceParams(
    String name, long expectedPosition, long newPosition, List<NewJob> jobs, String serverId) {
  public CursorAdvanceParams {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("a cursor name must not be blank");
    if (expectedPosition < 0 || newPosition < expectedPosition) {
      throw new IllegalArgumentException(
          "cursor '%s' can only move forward from a position >= 0: from %d to %d"
              .formatted(name, expectedPosition, newPosition));
    }
    jobs = List.copyOf(jobs);
  }
}
