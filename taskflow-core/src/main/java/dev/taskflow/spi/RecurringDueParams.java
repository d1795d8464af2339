package dev.taskflow.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Schedules that are not paused and whose next fire time is at or before the store's now plus
 * {@code within}, earliest first, at most {@code limit}. With {@code within} zero these are the
 * schedules due now; a larger window also tells the scheduler when to wake next.
 */
public record RecurringDueParams(Duration within, int limit) {
  public RecurringDueParams {
    Objects.requireNonNull(within, "within");
    if (within.isNegative()) throw new IllegalArgumentException("within must be >= 0: " + within);
  }
}
