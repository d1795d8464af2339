package dev.taskflow.spi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Job dependencies and batches: an optional feature, handed out by {@link Storage#flows()}.
 *
 * <p>A store that hands it out accepts jobs with {@code dependsOn} in {@link
 * Storage#jobInsertMany}: it puts such a job into {@code awaiting} (event {@code job.awaiting}),
 * refuses the whole batch with {@link dev.taskflow.InvalidJobException} (field {@code
 * dependsOn/<k>}, or {@code jobs/<i>/dependsOn/<k>} in a batch of several, rule {@code
 * unknown_parent}) when a parent is neither stored nor in the batch, and resolves at once a job
 * whose parents have all finished already. {@link Storage#jobRetentionDelete} keeps a finished job
 * while a job awaits it, and the members of a batch until it finishes. A store without this feature
 * is never given a job with {@code dependsOn}: the engine refuses it first with {@link
 * dev.taskflow.FeatureUnsupportedException}.
 *
 * <p>Every server sweeps ({@link #jobResolveAwaiting}, {@link #batchResolveFinished}); each change
 * is conditional on the job still awaiting (the batch still open), so sweeps on several servers at
 * once move each job once and finish each batch once.
 */
public interface FlowStore {

  /**
   * Resolves awaiting jobs whose parents have all finished, per {@link Dependencies#decide}: at
   * most {@code limit} jobs change, each by a change conditional on it still being awaiting, with
   * its event ({@code job.enqueued}, {@code job.scheduled} or {@code job.cancelled}) and history
   * entry. Jobs that stay awaiting under {@link dev.taskflow.ParentFailure#WAIT} are skipped, never
   * counted against the limit. A job cancelled here is itself a finished parent for the next call
   * (cascades).
   *
   * @return how many jobs changed state
   */
  int jobResolveAwaiting(AwaitingResolveParams params);

  /** The ids of the jobs that depend on {@code parentId}, in id order, at most {@code limit}. */
  List<UUID> jobDependents(UUID parentId, int limit);

  /**
   * Inserts a batch row ({@code open}, total = the members inserted) and its members, each with the
   * batch id set, in one transaction, as {@link Storage#jobInsertMany} inserts jobs (members may
   * depend on each other and on stored jobs; a queue's maximum depth applies).
   *
   * @return one outcome per member, in order
   */
  List<InsertOutcome> batchInsert(BatchInsertParams params);

  /** A batch with its member counts per state. */
  Optional<BatchRecord> batchGet(UUID batchId);

  /**
   * Finishes open batches whose members have all finished, at most {@code limit}: in one
   * transaction each, the batch row moves from {@code open} to {@code completed} (every member
   * completed) or {@code failed} by a change conditional on it being open (so, of servers sweeping
   * at once, exactly one finishes it), its callback job (if any, see {@link BatchSpec}) is inserted
   * (never refused by a queue's maximum depth), and {@code batch.completed} or {@code batch.failed}
   * is appended for the callback job, or for the member that finished last when there is none.
   *
   * @return how many batches finished
   */
  int batchResolveFinished(BatchResolveParams params);
}
