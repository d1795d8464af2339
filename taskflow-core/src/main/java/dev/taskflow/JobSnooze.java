package dev.taskflow;

import java.time.Duration;

/**
 * Thrown by a worker to run the job again after a delay, without using an attempt.
 *
 * {@snippet :
 * if (!rateLimiter.tryAcquire()) throw JobSnooze.after(Duration.ofSeconds(30));
 * }
 */
public final class JobSnooze extends RuntimeException {
  private final Duration delay;

  private JobSnooze(Duration delay) {
    super("snooze for " + delay, null, false, false);
    this.delay = delay;
  }

  public static JobSnooze after(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("snooze delay must be zero or positive, was " + delay);
    }
    return new JobSnooze(delay);
  }

  public Duration delay() {
    return delay;
  }
}
