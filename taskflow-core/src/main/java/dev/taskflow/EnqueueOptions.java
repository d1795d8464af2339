package dev.taskflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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
 * @param uniqueKey while a job with this key is live (or, with {@code uniqueFor}, for that long
 *     after it was enqueued), enqueueing another returns the existing one
 * @param owner the user or tenant the job belongs to
 * @param tags free labels
 * @param dependsOn parents: the job waits in {@code awaiting} until all of them finish
 * @param onParentFailure what to do when a parent does not complete; null for {@link
 *     ParentFailure#CANCEL}
 * @param concurrencyKey the key per-key concurrency and rate limits count by
 * @param uniqueFor scope the unique key "for a period": it blocks duplicates for this long after
 *     enqueue, whatever the job's state; null for "while live"
 * @param startBy cancel the job with reason {@code expired} if it has not started by then;
 *     exclusive with {@code startWithin}
 * @param startWithin the same, as a time from enqueue (store clock)
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
    List<String> tags,
    List<UUID> dependsOn,
    ParentFailure onParentFailure,
    String concurrencyKey,
    Duration uniqueFor,
    Instant startBy,
    Duration startWithin) {

  public static final String DEFAULT_QUEUE = "default";
  private static final EnqueueOptions DEFAULTS =
      new EnqueueOptions(
          null, null, null, null, null, null, null, null, List.of(), List.of(), null, null, null,
          null, null);

  public EnqueueOptions {
    tags = tags == null ? List.of() : List.copyOf(tags);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  public static EnqueueOptions defaults() {
    return DEFAULTS;
  }

  public EnqueueOptions queue(String queue) {
    return with().queue(queue).build();
  }

  public EnqueueOptions priority(int priority) {
    return with().priority(priority).build();
  }

  public EnqueueOptions runAt(Instant runAt) {
    return with().runAt(runAt).build();
  }

  public EnqueueOptions delay(Duration delay) {
    return with().delay(delay).build();
  }

  public EnqueueOptions maxAttempts(int maxAttempts) {
    return with().maxAttempts(maxAttempts).build();
  }

  public EnqueueOptions timeout(Duration timeout) {
    return with().timeout(timeout).build();
  }

  public EnqueueOptions uniqueKey(String uniqueKey) {
    return with().uniqueKey(uniqueKey).build();
  }

  public EnqueueOptions owner(String owner) {
    return with().owner(owner).build();
  }

  public EnqueueOptions tags(String... tags) {
    return with().tags(List.of(tags)).build();
  }

  public EnqueueOptions tags(List<String> tags) {
    return with().tags(tags).build();
  }

  /** Waits in {@code awaiting} until every parent finished; see {@link ParentFailure}. */
  public EnqueueOptions dependsOn(UUID... parents) {
    return with().dependsOn(List.of(parents)).build();
  }

  public EnqueueOptions dependsOn(List<UUID> parents) {
    return with().dependsOn(parents).build();
  }

  public EnqueueOptions onParentFailure(ParentFailure policy) {
    return with().onParentFailure(policy).build();
  }

  public EnqueueOptions concurrencyKey(String key) {
    return with().concurrencyKey(key).build();
  }

  /** Scopes the unique key "for a period" of this length after enqueue. */
  public EnqueueOptions uniqueFor(Duration period) {
    return with().uniqueFor(period).build();
  }

  public EnqueueOptions startBy(Instant deadline) {
    return with().startBy(deadline).build();
  }

  public EnqueueOptions startWithin(Duration window) {
    return with().startWithin(window).build();
  }

  private Copy with() {
    return new Copy(this);
  }

  /** A mutable copy, so that each setter above is one line. */
  private static final class Copy {
    private String queue;
    private Integer priority;
    private Instant runAt;
    private Duration delay;
    private Integer maxAttempts;
    private Duration timeout;
    private String uniqueKey;
    private String owner;
    private List<String> tags;
    private List<UUID> dependsOn;
    private ParentFailure onParentFailure;
    private String concurrencyKey;
    private Duration uniqueFor;
    private Instant startBy;
    private Duration startWithin;

    Copy(EnqueueOptions o) {
      queue = o.queue;
      priority = o.priority;
      runAt = o.runAt;
      delay = o.delay;
      maxAttempts = o.maxAttempts;
      timeout = o.timeout;
      uniqueKey = o.uniqueKey;
      owner = o.owner;
      tags = o.tags;
      dependsOn = o.dependsOn;
      onParentFailure = o.onParentFailure;
      concurrencyKey = o.concurrencyKey;
      uniqueFor = o.uniqueFor;
      startBy = o.startBy;
      startWithin = o.startWithin;
    }

    Copy queue(String v) {
      queue = v;
      return this;
    }

    Copy priority(Integer v) {
      priority = v;
      return this;
    }

    Copy runAt(Instant v) {
      runAt = v;
      return this;
    }

    Copy delay(Duration v) {
      delay = v;
      return this;
    }

    Copy maxAttempts(Integer v) {
      maxAttempts = v;
      return this;
    }

    Copy timeout(Duration v) {
      timeout = v;
      return this;
    }

    Copy uniqueKey(String v) {
      uniqueKey = v;
      return this;
    }

    Copy owner(String v) {
      owner = v;
      return this;
    }

    Copy tags(List<String> v) {
      tags = v;
      return this;
    }

    Copy dependsOn(List<UUID> v) {
      dependsOn = v;
      return this;
    }

    Copy onParentFailure(ParentFailure v) {
      onParentFailure = v;
      return this;
    }

    Copy concurrencyKey(String v) {
      concurrencyKey = v;
      return this;
    }

    Copy uniqueFor(Duration v) {
      uniqueFor = v;
      return this;
    }

    Copy startBy(Instant v) {
      startBy = v;
      return this;
    }

    Copy startWithin(Duration v) {
      startWithin = v;
      return this;
    }

    EnqueueOptions build() {
      return new EnqueueOptions(
          queue,
          priority,
          runAt,
          delay,
          maxAttempts,
          timeout,
          uniqueKey,
          owner,
          tags,
          dependsOn,
          onParentFailure,
          concurrencyKey,
          uniqueFor,
          startBy,
          startWithin);
    }
  }
}
