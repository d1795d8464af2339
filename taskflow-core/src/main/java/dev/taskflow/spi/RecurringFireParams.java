package dev.taskflow.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Fires a schedule: moves its next fire time from {@code expectedNextFireAt} (the value the caller
 * read) to {@code nextFireAt}, adds {@code runs} to its runs, sets its last fire and inserts the
 * fire's jobs as {@link Storage#jobInsertMany} does, all in one transaction.
 *
 * @param id the schedule's id
 * @param expectedNextFireAt the next fire time the caller read; nothing is written when it moved
 * @param nextFireAt the new next fire time, or null when the schedule fires no more
 * @param lastFireAt the latest fire time enqueued now, or null to keep the stored one (nothing
 *     enqueued: all fires skipped)
 * @param runs how many fires enqueued a job now
 * @param jobs the jobs of the fires, possibly none; the last one's id (or the live job that holds
 *     its unique key) becomes the schedule's last job
 * @param serverId the server writing, for the jobs' history
 */
public record RecurringFireParams(
    String id,
    Instant expectedNextFireAt,
    Instant nextFireAt,
    Instant lastFireAt,
    int runs,
    List<NewJob> jobs,
    String serverId) {
  public RecurringFireParams {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expectedNextFireAt, "expectedNextFireAt");
    if (runs < 0) throw new IllegalArgumentException("runs must be >= 0, was " + runs);
    jobs = List.copyOf(jobs);
  }
}
