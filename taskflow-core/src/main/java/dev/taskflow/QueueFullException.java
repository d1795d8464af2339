package dev.taskflow;

import java.time.Duration;

/**
 * An enqueue would take a queue past its maximum depth (see {@link
 * TaskFlowClient#setQueueMaxDepth}); nothing of the request was stored. HTTP 429 with {@code
 * Retry-After}.
 *
 * <p>The depth counts the queue's waiting jobs: enqueued, scheduled and awaiting. Retry after
 * {@link #retryAfter()}, or shed the work.
 */
public class QueueFullException extends TaskFlowException {
  /** The wait suggested to callers: long enough for workers to drain some of a full queue. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private final String queue;
  private final long depth;
  private final int maxDepth;
  private final int adding;
  private final Duration retryAfter;

  /**
   * @param queue the full queue
   * @param depth its waiting jobs before this request
   * @param maxDepth its bound
   * @param adding how many jobs the request would have added to it
   * @param retryAfter the suggested wait before trying again
   */
  public QueueFullException(
      String queue, long depth, int maxDepth, int adding, Duration retryAfter) {
    super(
        "queue '%s' is full: %d waiting job(s), max depth %d, cannot add %d; retry after %ds"
            .formatted(queue, depth, maxDepth, adding, retryAfter.toSeconds()));
    this.queue = queue;
    this.depth = depth;
    this.maxDepth = maxDepth;
    this.adding = adding;
    this.retryAfter = retryAfter;
  }

  public String queue() {
    return queue;
  }

  /** The queue's waiting jobs (enqueued, scheduled, awaiting) before the refused request. */
  public long depth() {
    return depth;
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** How many jobs the refused request would have added to the queue. */
  public int adding() {
    return adding;
  }

  /** The suggested wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
