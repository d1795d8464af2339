package dev.taskflow;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the wait before attempt {@code n+1} is uniform in {@code
 * [0, min(cap, base * 2^(n-1))]}. Exceptions of a non-retryable class (or a subclass) fail the job
 * at once.
 *
 * @param base the first ceiling
 * @param cap the largest ceiling
 * @param nonRetryable exception classes not worth retrying
 */
public record RetryPolicy(
    Duration base, Duration cap, Set<Class<? extends Throwable>> nonRetryable) {

  /** base 2 s, cap 1 h: 25 attempts span roughly a day. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(2), Duration.ofHours(1), Set.of());

  public RetryPolicy {
    if (base == null || base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("retry base must be positive, was " + base);
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("retry cap must be >= base " + base + ", was " + cap);
    }
    nonRetryable = nonRetryable == null ? Set.of() : Set.copyOf(nonRetryable);
  }

  public static RetryPolicy exponential(Duration base, Duration cap) {
    return new RetryPolicy(base, cap, Set.of());
  }

  @SafeVarargs
  public final RetryPolicy withNonRetryable(Class<? extends Throwable>... classes) {
    return new RetryPolicy(base, cap, Set.of(classes));
  }

  /** The ceiling of the wait after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration ceiling(int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 40));
    long baseMs = base.toMillis();
    long capMs = cap.toMillis();
    long ms = baseMs > (capMs >> shift) ? capMs : Math.min(capMs, baseMs << shift);
    return Duration.ofMillis(ms);
  }

  /** A jittered wait after failed attempt {@code attempt}: uniform in [0, ceiling]. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  /** Whether the error is worth another attempt. */
  public boolean isRetryable(Throwable error) {
    for (Class<? extends Throwable> c : nonRetryable) {
      if (c.isInstance(error)) return false;
    }
    return true;
  }
}
