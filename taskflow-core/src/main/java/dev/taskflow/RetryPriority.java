package dev.taskflow;

/**
 * The priority a job gets when a failed attempt is scheduled for a retry, so that retries can run
 * after fresh work. Set a server default with {@link TaskFlowBuilder#retryPriority} or per worker
 * with {@link Worker#retryPriority()}.
 *
 * {@snippet :
 * TaskFlow.builder().retryPriority(RetryPriority.lowerBy(10)); // each retry 10 lower, down to -100
 * }
 */
public final class RetryPriority {
  /** The lowest job priority. */
  public static final int MIN = -100;

  /** The highest job priority. */
  public static final int MAX = 100;

  /** Retries keep the job's priority (the default). */
  public static final RetryPriority KEEP = new RetryPriority(Kind.KEEP, 0);

  private enum Kind {
    KEEP,
    LOWER_BY,
    FIXED
  }

  private final Kind kind;
  private final int value;

  private RetryPriority(Kind kind, int value) {
    this.kind = kind;
    this.value = value;
  }

  /** Retries keep the job's priority. */
  public static RetryPriority keep() {
    return KEEP;
  }

  /**
   * Each retry lowers the job's priority by {@code step} (1..200), stopping at {@value #MIN}: a job
   * that keeps failing sinks below fresh work.
   */
  public static RetryPriority lowerBy(int step) {
    if (step < 1 || step > 200) {
      throw new IllegalArgumentException("retry priority step must be 1..200, was " + step);
    }
    return new RetryPriority(Kind.LOWER_BY, step);
  }

  /** Retries run at this priority (-100..100), whatever the job had. */
  public static RetryPriority fixed(int priority) {
    if (priority < MIN || priority > MAX) {
      throw new IllegalArgumentException(
          "retry priority must be %d..%d, was %d".formatted(MIN, MAX, priority));
    }
    return new RetryPriority(Kind.FIXED, priority);
  }

  /** The priority of the retry of a job that had {@code priority}. */
  public int apply(int priority) {
    return switch (kind) {
      case KEEP -> priority;
      case LOWER_BY -> Math.max(MIN, priority - value);
      case FIXED -> value;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPriority r && r.kind == kind && r.value == value;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case KEEP -> "RetryPriority.keep()";
      case LOWER_BY -> "RetryPriority.lowerBy(" + value + ")";
      case FIXED -> "RetryPriority.fixed(" + value + ")";
    };
  }
}
