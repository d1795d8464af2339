package dev.taskflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How to enqueue a job. Immutable; each {@code with}-style method returns a copy. Unset values take
 * the worker's defaults (max attempts, timeout) or the system's (queue {@code default}, priority 0,
 * due now).
 *
 * {@snippet :
 * EnqueueOptions opts = EnqueueOptions.defaults().queue("embeddings").priority(10).owner("user-42");
 * }
 *
 * @param queue the queue, or null for {@code default}
 * @param priority -100..100, or null for 0
 * @param runAt when it becomes due; exclusive with {@code delay}
 * @param delay due after this long (store clock); exclusive with {@code runAt}
 * @param maxAttempts 1..100, or null for the worker's default
 * @param timeout per-attempt timeout, or null for the worker's default
 * @param uniqueKey while a job with this key is live, enqueueing another returns the live one
 * @param owner the user or tenant the job belongs to
 * @param tags free labels
 */
public record EnqueueOptions(
    String queue,
    Integer priority,
    Instant runAt,
    Duration delay,
    Integer maxAttempts,
    Duration timeout,
    String uniqueKey,
    String owner,
    List<String> tags) {

  public static final String DEFAULT_QUEUE = "default";
  private static final EnqueueOptions DEFAULTS =
      new EnqueueOptions(null, null, null, null, null, null, null, null, List.of());

  public EnqueueOptions {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public static EnqueueOptions defaults() {
    return DEFAULTS;
  }

  public EnqueueOptions queue(String queue) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions priority(int priority) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions runAt(Instant runAt) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions delay(Duration delay) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions maxAttempts(int maxAttempts) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions timeout(Duration timeout) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions uniqueKey(String uniqueKey) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions owner(String owner) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }

  public EnqueueOptions tags(String... tags) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, List.of(tags));
  }

  public EnqueueOptions tags(List<String> tags) {
    return new EnqueueOptions(
        queue, priority, runAt, delay, maxAttempts, timeout, uniqueKey, owner, tags);
  }
}
