package dev.taskflow;

import dev.taskflow.internal.recurring.FireTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The recurring schedules in the store: put (upsert by id), read, pause, resume, trigger, delete.
 * The maintenance leader enqueues each fire once, whichever server the schedule was put on.
 *
 * {@snippet :
 * taskflow.recurring().put(
 *     RecurringSchedule.cron("cleanup", "0 * * * *").job("files.cleanup", "{}").build());
 * taskflow.recurring().pause("cleanup");
 * taskflow.recurring().trigger("cleanup"); // one job now, not counted as a fire
 * }
 */
public interface Recurring {
  /** The shortest gap between two fires a schedule may have, unless the server sets another. */
  Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);

  /**
   * How late a fire may be enqueued and still count as on time, unless the server sets another;
   * later fires are misfires and follow the schedule's {@link RecurringSchedule.Misfire} policy.
   */
  Duration DEFAULT_MISFIRE_GRACE = Duration.ofMinutes(1);

  /** How many next fire times {@link RecurringInfo#nextFires()} shows. */
  int SHOWN_NEXT_FIRES = 5;

  /**
   * Whether the store keeps recurring schedules. When it does not, every other method here throws
   * {@link FeatureUnsupportedException}.
   */
  boolean supported();

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  Recurring requireSupported();

  /** The shortest interval between fires this server accepts. */
  Duration minimumInterval();

  /**
   * Saves a schedule, replacing the one with the same id. Putting an unchanged definition again
   * changes nothing (fires missed while the application was down are still caught up per the
   * misfire policy); a changed one fires next at its first fire time after now.
   *
   * @throws InvalidJobException naming the field at fault ({@code cron}, {@code zone}, {@code
   *     job/type}, ...) and the rule; a schedule more frequent than {@link #minimumInterval()} is
   *     refused with rule {@code too_frequent} and its next fire times in the message
   */
  RecurringPutResult put(RecurringSchedule s);

  Optional<RecurringInfo> get(String id);

  /**
   * Schedules in id order after {@code afterId} (null: from the first), at most {@code limit}; a
   * full page names its last id as the next cursor.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..1000
   */
  Page<RecurringInfo> list(String afterId, int limit);

  /** Every schedule, in id order. */
  List<RecurringInfo> all();

  /** Removes a schedule; its jobs stay. False when none had the id. */
  boolean delete(String id);

  /**
   * Stops a schedule from firing until {@link #resume}; a no-op when it is paused already.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  RecurringInfo pause(String id);

  /**
   * Lets a paused schedule fire again, from its first fire time after now: the time it was paused
   * is not caught up. A no-op when it is not paused.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  RecurringInfo resume(String id);

  /**
   * Enqueues the schedule's job once, now, paused or not. It carries the schedule's tag but no
   * unique key, and is not a fire: runs, last fire and next fire times stay as they are.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  EnqueueResult trigger(String id);

  /** The next {@code n} fire times of a schedule after {@code after} (for previews). */
  static List<Instant> nextFires(RecurringSchedule s, Instant after, int n) {
    FireTimes times = FireTimes.of(s);
    Instant first = times.nextAfter(after).orElse(null);
    return first == null ? List.of() : times.upcoming(first, n, s.endAt());
  }
}
