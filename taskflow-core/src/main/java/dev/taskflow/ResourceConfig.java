package dev.taskflow;

/**
 * Settings of the adaptive concurrency limit of one shared downstream resource (a model server, a
 * partner API) on this server, set in {@link TaskFlowBuilder#resource}. Jobs of the types that use
 * the resource ({@link Worker#resource()} or {@link TaskFlowBuilder#typeResource}) are claimed only
 * while the resource's limit has room.
 *
 * <p>The limit moves by AIMD over windows of {@link #window()} finished attempts: a window whose
 * mean latency is above {@link #tolerance()} times the baseline (the lowest window mean seen,
 * drifting 5% per window toward the latest), or whose share of failed attempts is above {@link
 * #errorRate()}, multiplies the limit by {@link #backoff()} (at least minus one, never below {@link
 * #min()}); any other window in which the attempts in flight reached the limit raises it by one (up
 * to {@link #max()}).
 */
public final class ResourceConfig {
  public static final int DEFAULT_MIN = 1;
  public static final int DEFAULT_MAX = 100;
  public static final int DEFAULT_INITIAL = 10;
  public static final int DEFAULT_WINDOW = 10;
  public static final double DEFAULT_TOLERANCE = 2.0;
  public static final double DEFAULT_BACKOFF = 0.75;
  public static final double DEFAULT_ERROR_RATE = 0.1;

  private int min = DEFAULT_MIN;
  private int max = DEFAULT_MAX;
  private Integer initial;
  private int window = DEFAULT_WINDOW;
  private double tolerance = DEFAULT_TOLERANCE;
  private double backoff = DEFAULT_BACKOFF;
  private double errorRate = DEFAULT_ERROR_RATE;

  /** Defaults: min 1, max 100, initial 10 (or max if lower), window 10, tolerance 2.0. */
  public ResourceConfig() {}

  /** The lowest limit (1..10,000; default 1). */
  public ResourceConfig min(int min) {
    this.min = range("min", min, 1, 10_000);
    return this;
  }

  /** The highest limit (1..10,000; default 100). */
  public ResourceConfig max(int max) {
    this.max = range("max", max, 1, 10_000);
    return this;
  }

  /** The limit at start (min..max; default 10, or max when lower). */
  public ResourceConfig initial(int initial) {
    this.initial = range("initial", initial, 1, 10_000);
    return this;
  }

  /** Finished attempts per adjustment of the limit (1..10,000; default 10). */
  public ResourceConfig window(int window) {
    this.window = range("window", window, 1, 10_000);
    return this;
  }

  /** A window whose mean latency exceeds this multiple of the baseline lowers the limit. */
  public ResourceConfig tolerance(double tolerance) {
    if (!(tolerance >= 1.0 && tolerance <= 100.0)) {
      throw new IllegalArgumentException("resource tolerance must be 1.0..100.0, was " + tolerance);
    }
    this.tolerance = tolerance;
    return this;
  }

  /** The factor a lowering multiplies the limit by (0.1..0.95; default 0.75). */
  public ResourceConfig backoff(double backoff) {
    if (!(backoff >= 0.1 && backoff <= 0.95)) {
      throw new IllegalArgumentException("resource backoff must be 0.1..0.95, was " + backoff);
    }
    this.backoff = backoff;
    return this;
  }

  /** A window with a larger share of failed attempts lowers the limit (0.0..1.0; default 0.1). */
  public ResourceConfig errorRate(double errorRate) {
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("resource errorRate must be 0.0..1.0, was " + errorRate);
    }
    this.errorRate = errorRate;
    return this;
  }

  public int min() {
    return min;
  }

  public int max() {
    return max;
  }

  /** The initial limit: as set, else 10 kept within min..max. */
  public int initial() {
    return initial != null ? initial : Math.max(min, Math.min(max, DEFAULT_INITIAL));
  }

  public int window() {
    return window;
  }

  public double tolerance() {
    return tolerance;
  }

  public double backoff() {
    return backoff;
  }

  public double errorRate() {
    return errorRate;
  }

  /** Checks the settings together; the builder calls it. */
  void validate(String name) {
    if (min > max) {
      throw new IllegalArgumentException(
          "resource '%s': min %d is above max %d".formatted(name, min, max));
    }
    if (initial != null && (initial < min || initial > max)) {
      throw new IllegalArgumentException(
          "resource '%s': initial %d is outside min..max %d..%d"
              .formatted(name, initial, min, max));
    }
  }

  private static int range(String what, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(
          "resource %s must be %d..%d, was %d".formatted(what, lo, hi, v));
    }
    return v;
  }
}
