package dev.taskflow;

import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The queues of the store: their counts, pauses and depth bounds; see {@link TaskFlow#queues()}.
 */
public interface Queues {

  /** The largest maximum depth a queue may be given. */
  int MAX_DEPTH = 1_000_000_000;

  /** Every queue that has jobs, is paused or has a maximum depth, with counts per state. */
  List<QueueInfo> list();

  /** Stops every server of the store from claiming the queue's jobs; enqueues still succeed. */
  void pause(String queue);

  /** Lets the queue's jobs be claimed again. */
  void resume(String queue);

  /**
   * Bounds a queue (backpressure), on every server of the store: while its waiting jobs (enqueued,
   * scheduled, awaiting) plus a request's new ones would exceed {@code maxDepth}, the enqueue
   * throws {@link QueueFullException} and stores nothing (an {@code enqueueAll} batch as a whole).
   * Null removes the bound. Jobs already waiting stay; retries and promotions are never refused.
   *
   * {@snippet :
   * taskflow.queues().setMaxDepth("embeddings", 10_000);
   * }
   *
   * @param maxDepth 0..{@value #MAX_DEPTH}, or null for no bound
   * @throws InvalidJobException naming {@code maxDepth} when out of range, or {@code queue}
   */
  void setMaxDepth(String queue, Integer maxDepth);

  /** How many ready jobs run before this one on its queue, while it is enqueued. */
  OptionalLong position(UUID jobId);

  /**
   * The adaptive concurrency limits of shared downstream resources on this server: limit, jobs in
   * flight, recent latency. Empty when no worker uses a resource.
   */
  List<ResourceInfo> resources();
}
