package dev.taskflow.internal.recurring;

import dev.taskflow.RecurringSchedule;
import dev.taskflow.cron.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When a schedule fires: a cron expression in a zone, or a fixed interval aligned to the epoch. */
public sealed interface FireTimes {

  /** The first fire time strictly after {@code t}, if any. */
  Optional<Instant> nextAfter(Instant t);

  /** The shortest gap between two fire times. */
  Duration minimumInterval();

  /**
   * The fire times of a schedule.
   *
   * @throws dev.taskflow.cron.CronSyntaxException when its cron expression is invalid
   */
  static FireTimes of(RecurringSchedule s) {
    if (s.cron() != null) return new Cron(CronExpression.parse(s.cron()), s.zone());
    return new Every(s.every());
  }

  /** Up to {@code n} fire times from {@code first} (inclusive), none after {@code endAt}. */
  default List<Instant> upcoming(Instant first, int n, Instant endAt) {
    List<Instant> out = new ArrayList<>(n);
    Instant t = first;
    while (t != null && out.size() < n && (endAt == null || !t.isAfter(endAt))) {
      out.add(t);
      t = nextAfter(t).orElse(null);
    }
    return out;
  }

  record Cron(CronExpression expression, ZoneId zone) implements FireTimes {
    @Override
    public Optional<Instant> nextAfter(Instant t) {
      return expression.nextAfter(t, zone);
    }

    @Override
    public Duration minimumInterval() {
      return expression.minimumInterval();
    }
  }

  /** Fires at every whole multiple of {@code every} since 1970-01-01T00:00:00Z. */
  record Every(Duration every) implements FireTimes {
    @Override
    public Optional<Instant> nextAfter(Instant t) {
      long step = every.toMillis();
      long ms = t.toEpochMilli();
      // The first multiple of the step strictly after t (floorDiv: also right before the epoch).
      long next = (Math.floorDiv(ms, step) + 1) * step;
      return Optional.of(Instant.ofEpochMilli(next));
    }

    @Override
    public Duration minimumInterval() {
      return every;
    }
  }
}
