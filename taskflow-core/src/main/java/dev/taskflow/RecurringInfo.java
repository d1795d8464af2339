package dev.taskflow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recurring schedule as stored, with where it stands.
 *
 * @param schedule the definition
 * @param nextFires the next fire times (at most five), empty while paused or once finished
 * @param lastFireAt the latest fire time that enqueued a job, or null
 * @param lastJobId the job that fire enqueued, or null
 * @param runs how many fires enqueued a job (skipped fires and {@link Recurring#trigger} do not
 *     count)
 * @param createdAt when the schedule was first put (store clock)
 * @param updatedAt when it last changed (store clock)
 */
public record RecurringInfo(
    RecurringSchedule schedule,
    List<Instant> nextFires,
    Instant lastFireAt,
    UUID lastJobId,
    long runs,
    Instant createdAt,
    Instant updatedAt) {
  public RecurringInfo {
    nextFires = nextFires == null ? List.of() : List.copyOf(nextFires);
  }

  public String id() {
    return schedule.id();
  }

  /** The next fire time, or null while paused or once the schedule ended. */
  public Instant nextFireAt() {
    return nextFires.isEmpty() ? null : nextFires.getFirst();
  }

  /** True once the end date passed or the run limit was reached: it fires no more. */
  public boolean finished() {
    return !schedule.paused() && nextFires.isEmpty();
  }
}
