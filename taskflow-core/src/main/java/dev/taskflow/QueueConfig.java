package dev.taskflow;

/** Settings of one queue on this server, set in {@link TaskFlowBuilder#queue}. */
public final class QueueConfig {
  public static final int DEFAULT_CONCURRENCY = 10;
  private int concurrency = DEFAULT_CONCURRENCY;

  QueueConfig() {}

  /** How many of this queue's jobs run at once on this server (1..10,000; default 10). */
  public QueueConfig concurrency(int concurrency) {
    if (concurrency < 1 || concurrency > 10_000) {
      throw new IllegalArgumentException("queue concurrency must be 1..10000, was " + concurrency);
    }
    this.concurrency = concurrency;
    return this;
  }

  public int concurrency() {
    return concurrency;
  }
}
