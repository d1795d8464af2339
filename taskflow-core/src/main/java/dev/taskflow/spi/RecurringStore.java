package dev.taskflow.spi;

import java.util.List;
import java.util.Optional;

/**
 * The recurring schedules of a store: an optional feature, handed out by {@link
 * Storage#recurring()}. The engine computes fire times; the store keeps each schedule's definition
 * and next fire time, and makes each fire happen once across the cluster.
 */
public interface RecurringStore {

  /**
   * Inserts a recurring schedule or replaces its definition, paused flag and next fire time,
   * keeping its runs, last fire and creation time.
   *
   * @return true when no schedule had the id before
   */
  boolean save(RecurringSaveParams params);

  Optional<RecurringRecord> get(String id);

  /** Schedules in id order; see {@link RecurringListParams}. */
  List<RecurringRecord> list(RecurringListParams params);

  /** Removes a schedule (its jobs stay); false when none had the id. */
  boolean delete(String id);

  /** Unpaused schedules due by the store's now plus a window; see {@link RecurringDueParams}. */
  List<RecurringRecord> due(RecurringDueParams params);

  /**
   * Fires a schedule once per fire time: in one transaction, compares and sets its next fire time
   * and inserts the fire's jobs (unique keys and events as {@link Storage#jobInsertMany}; never
   * refused by a queue's maximum depth). Of two servers that read the same next fire time, exactly
   * one wins.
   *
   * @return false, with nothing written, when the schedule is missing or its next fire time is not
   *     {@code expectedNextFireAt} any more
   */
  boolean fire(RecurringFireParams params);
}
