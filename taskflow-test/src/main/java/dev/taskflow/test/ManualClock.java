package dev.taskflow.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to: give it to a store and to TaskFlow, then {@link
 * #advance(Duration)} instead of sleeping.
 *
 * {@snippet :
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * clock.advance(Duration.ofMinutes(5));
 * }
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  public static ManualClock at(Instant start) {
    return new ManualClock(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  /** Starts at the current second of the system clock. */
  public static ManualClock startingNow() {
    return at(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  /** Moves time forward (or back, with a negative duration); returns the new now. */
  public Instant advance(Duration d) {
    return now.updateAndGet(t -> t.plus(d));
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new ManualClock(now, z);
  }
}
