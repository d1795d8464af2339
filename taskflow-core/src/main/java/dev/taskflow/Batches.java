package dev.taskflow;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Batches: a group of jobs enqueued atomically, with progress counts, {@code batch.completed} /
 * {@code batch.failed} events and an optional callback job once every member has finished.
 *
 * {@snippet :
 * BatchResult batch = taskflow.batches().enqueue(
 *     BatchOptions.defaults().callback(JobRequest.of("report.send", "{}")),
 *     List.of(
 *         JobRequest.of("page.fetch", "{\"url\":\"https://example.com/a\"}"),
 *         JobRequest.of("page.fetch", "{\"url\":\"https://example.com/b\"}"),
 *         // runs after the first two: members may depend on earlier members
 *         new JobRequest("pages.merge", "{}",
 *             EnqueueOptions.defaults().dependsOn(Batches.member(0), Batches.member(1)))));
 * BatchInfo info = taskflow.batches().get(batch.batchId()).orElseThrow();
 * }
 *
 * <p>When the last member finishes, one server (whichever sweeps first; the change is conditional
 * on the batch being open) marks the batch completed or failed, appends the event and enqueues the
 * callback, all in one transaction: exactly once however many servers share the store.
 */
public interface Batches {
  /** The most members of one batch. */
  int MAX_JOBS = 10_000;

  int MAX_DESCRIPTION = 1_000;

  int MAX_METADATA_BYTES = 16 * 1024;

  /**
   * Whether the store keeps batches and job dependencies ({@link EnqueueOptions#dependsOn}). When
   * it does not, every other method here throws {@link FeatureUnsupportedException}.
   */
  boolean supported();

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  Batches requireSupported();

  /**
   * A stand-in for the id of the batch member at {@code index} (0-based), for a member's {@link
   * EnqueueOptions#dependsOn}: {@link #enqueue} replaces it with that member's id. A member may
   * depend only on members listed before it, so a batch never holds a cycle.
   */
  static UUID member(int index) {
    if (index < 0 || index >= MAX_JOBS) {
      throw new IllegalArgumentException(
          "member index must be 0.." + (MAX_JOBS - 1) + ", was " + index);
    }
    return new UUID(0L, index + 1L);
  }

  /** The member index {@code id} stands for ({@link #member}), or -1 for a real job id. */
  static int memberIndex(UUID id) {
    if (id.getMostSignificantBits() != 0L) return -1;
    long n = id.getLeastSignificantBits();
    return n >= 1 && n <= MAX_JOBS ? (int) (n - 1) : -1;
  }

  /**
   * Enqueues every member and the batch in one transaction: all or nothing.
   *
   * @throws InvalidJobException naming the field ({@code jobs/3/dependsOn/0}, {@code
   *     callback/type}, {@code description}) and the rule; nothing is stored
   * @throws QueueFullException when the members would take a bounded queue past its depth
   */
  BatchResult enqueue(BatchOptions options, List<JobRequest> jobs);

  /** The batch with its counts per state, or empty when no batch has the id. */
  Optional<BatchInfo> get(UUID batchId);

  /**
   * The ids of the jobs that depend on {@code jobId} (its children, see {@link
   * EnqueueOptions#dependsOn}), in id order, at most {@code limit}.
   *
   * @throws FeatureUnsupportedException when the store keeps no job dependencies
   */
  List<UUID> dependents(UUID jobId, int limit);
}
