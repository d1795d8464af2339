package dev.taskflow;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the wait before attempt {@code n+1} is uniform in {@code
 * [minJitter * ceiling(n), ceiling(n)]}, where {@code ceiling(n) = min(cap, base * 2^(n-1))}. The
 * default {@code minJitter} of 0 is full jitter (waits anywhere from zero up to the ceiling); a
 * positive one puts a floor under every wait, so the total span of all attempts has a guaranteed
 * minimum ({@link #minDelay}) — for work that must keep trying for a known time, such as webhook
 * deliveries. Exceptions of a non-retryable class (or a subclass) fail the job at once.
 *
 * {@snippet :
 * // 5 s doubling to 10 h; every wait at least half its ceiling
 * RetryPolicy p = RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofHours(10))
 *     .withMinJitter(0.5);
 * }
 *
 * @param base the first ceiling
 * @param cap the largest ceiling
 * @param nonRetryable exception classes not worth retrying
 * @param minJitter the floor of each wait as a fraction of its ceiling, 0 (full jitter) to 1 (no
 *     jitter)
 */
public record RetryPolicy(
    Duration base, Duration cap, Set<Class<? extends Throwable>> nonRetryable, double minJitter) {

  /** base 2 s, cap 1 h, full jitter: 25 attempts span roughly a day. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(2), Duration.ofHours(1), Set.of());

  public RetryPolicy {
    if (base == null || base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("retry base must be positive, was " + base);
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("retry cap must be >= base " + base + ", was " + cap);
    }
    if (!(minJitter >= 0 && minJitter <= 1)) { // also refuses NaN
      throw new IllegalArgumentException("retry minJitter must be 0..1, was " + minJitter);
    }
    nonRetryable = nonRetryable == null ? Set.of() : Set.copyOf(nonRetryable);
  }

  /** Full jitter ({@code minJitter} 0). */
  public RetryPolicy(Duration base, Duration cap, Set<Class<? extends Throwable>> nonRetryable) {
    this(base, cap, nonRetryable, 0);
  }

  /** Full jitter between zero and {@code min(cap, base * 2^(n-1))}. */
  public static RetryPolicy exponential(Duration base, Duration cap) {
    return new RetryPolicy(base, cap, Set.of());
  }

  @SafeVarargs
  public final RetryPolicy withNonRetryable(Class<? extends Throwable>... classes) {
    return new RetryPolicy(base, cap, Set.of(classes), minJitter);
  }

  /**
   * The same policy with every wait at least {@code fraction} of its ceiling: 0 is full jitter, 0.5
   * waits between half the ceiling and the ceiling, 1 waits exactly the ceiling.
   *
   * @throws IllegalArgumentException when the fraction is outside 0..1
   */
  public RetryPolicy withMinJitter(double fraction) {
    return new RetryPolicy(base, cap, nonRetryable, fraction);
  }

  /** The ceiling of the wait after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration ceiling(int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 40));
    long baseMs = base.toMillis();
    long capMs = cap.toMillis();
    long ms = baseMs > (capMs >> shift) ? capMs : Math.min(capMs, baseMs << shift);
    return Duration.ofMillis(ms);
  }

  /** The shortest wait after failed attempt {@code attempt}: {@code minJitter} of its ceiling. */
  public Duration minDelay(int attempt) {
    return Duration.ofMillis(floorMillis(ceiling(attempt).toMillis()));
  }

  /** A jittered wait after failed attempt {@code attempt}: uniform in [minDelay, ceiling]. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    long floor = floorMillis(ceiling);
    return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
  }

  /**
   * The shortest total of the waits between {@code attempts} tries (the worst case of jitter): the
   * least time a job that fails every attempt keeps being tried.
   */
  public Duration minSpan(int attempts) {
    Duration total = Duration.ZERO;
    for (int n = 1; n < attempts; n++) total = total.plus(minDelay(n));
    return total;
  }

  private long floorMillis(long ceilingMs) {
    // ceil, so the floor never drops below the fraction; never above the ceiling
    return Math.min(ceilingMs, (long) Math.ceil(ceilingMs * minJitter));
  }

  /** Whether the error is worth another attempt. */
  public boolean isRetryable(Throwable error) {
    for (Class<? extends Throwable> c : nonRetryable) {
      if (c.isInstance(error)) return false;
    }
    return true;
  }
}
