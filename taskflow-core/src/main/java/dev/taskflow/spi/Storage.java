package dev.taskflow.spi;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The storage SPI: Noun-Verb methods, each with one params record, so that adding a field breaks no
 * store. A store is done when {@code taskflow-storage-tck} passes against it.
 *
 * <p>Rules every store keeps:
 *
 * <ul>
 *   <li><b>One clock.</b> Every due-time and lease comparison uses {@link #now()}, the store's
 *       clock. Callers pass durations (delay, lease length, retry wait); the store adds them to its
 *       now.
 *   <li><b>Fencing.</b> Every write on a processing job matches {@code id AND attempt AND
 *       leaseOwner AND state = processing}; when nothing matches, nothing changes and the id is
 *       absent from the result.
 *   <li><b>Events in the same transaction.</b> Each state change appends its built-in event ({@link
 *       EventData} builds the data) to the event log atomically with the change. Sequences are
 *       strictly increasing in commit order.
 *   <li><b>History.</b> Each state change appends a {@link dev.taskflow.HistoryEntry}.
 *   <li><b>Legal moves only</b>, per {@link dev.taskflow.JobTransitions}.
 *   <li><b>Errors.</b> Driver exceptions are wrapped once in {@link dev.taskflow.StorageException};
 *       {@link dev.taskflow.JobNotFoundException} and {@link
 *       dev.taskflow.IllegalTransitionException} are thrown as they are.
 * </ul>
 *
 * <p><b>The core and the features.</b> Every abstract method here is the core: a store implements
 * all of it, and {@code StorageTck} checks all of it. Webhooks, limits, recurring schedules,
 * batches and job dependencies, and event cursors are optional features, each an interface of its
 * own ({@link WebhookStore}, {@link LimitStore}, {@link RecurringStore}, {@link FlowStore}, {@link
 * CursorStore}). A store that keeps a feature says so by returning it from the feature's accessor
 * ({@link #webhooks()}, ...), typically {@code Optional.of(this)} or a small object of its own; the
 * defaults return empty. {@link StorageFeature#of(Storage)} reads the set from the accessors. For a
 * feature a store lacks, the engine does not run its background work (it logs so once at start), a
 * user's call throws {@link dev.taskflow.FeatureUnsupportedException}, and the HTTP API answers
 * 501. The TCK runs a feature's contract exactly when the store hands the feature out.
 */
public interface Storage extends AutoCloseable {

  /** Creates or migrates the schema; idempotent. Called once before any other method. */
  void open();

  /** The store's clock. */
  Instant now();

  StorageCapabilities capabilities();

  /**
   * Inserts jobs atomically: all or none. A job whose unique key is held by a live job (not
   * completed, failed, cancelled or deleted) is not inserted: its outcome names the live job and is
   * marked duplicate. Jobs due later than now enter {@code scheduled}, the others {@code enqueued}.
   * Appends {@code job.enqueued} or {@code job.scheduled} for each inserted job. A batch that would
   * take a queue past its maximum depth ({@link #queueSetMaxDepth}) is refused whole with {@link
   * dev.taskflow.QueueFullException}. Jobs with {@code dependsOn} reach only a store that keeps
   * {@link #flows()}, which says what it does with them.
   *
   * @return one outcome per request, in order
   */
  List<InsertOutcome> jobInsertMany(JobInsertManyParams params);

  Optional<Job> jobGet(UUID id);

  /** Jobs matching the filters, newest first (id descending), at most {@code limit}. */
  List<Job> jobList(JobListParams params);

  /**
   * The number of enqueued jobs on the same queue that are claimed before this one (priority
   * descending, then scheduledAt, then id), or -1 when the job is not enqueued.
   */
  long jobQueuePosition(UUID id);

  /**
   * Claims up to {@code max} enqueued jobs of the queue in order (priority descending, then
   * scheduledAt, then id), moving them to processing with {@code attempt + 1}, the lease owner and
   * {@code now + leaseDuration}, {@code startedAt = now}. Returns nothing when the queue is paused.
   * Skips jobs that never started and whose start deadline is at or before now. Two concurrent
   * claimers never get the same job. Appends {@code job.started}.
   *
   * <p>A store that keeps {@link #limits()} never starts a job that would exceed a limit matching
   * it; see {@link LimitStore}.
   */
  List<Job> jobClaim(JobClaimParams params);

  /** Extends the leases still held by {@code leaseOwner}; returns the ids it still holds. */
  Set<UUID> jobHeartbeat(JobHeartbeatParams params);

  /**
   * Records attempt outcomes in one batch (completed, retry, failed, snoozed, cancelled, released),
   * each fenced. Returns the ids whose outcome was recorded; the others had lost their lease.
   */
  Set<UUID> jobFinishMany(JobFinishManyParams params);

  /** Stores a running job's progress (fenced) and appends {@code job.progress}; false if fenced. */
  boolean jobProgress(JobProgressParams params);

  /**
   * Processing jobs whose lease expired before now: with attempts left back to enqueued, else
   * failed; either way an error {@code lease_expired} is recorded for the attempt.
   *
   * @return how many were rescued
   */
  int jobRescueExpired(JobRescueParams params);

  /** Scheduled jobs due by now become enqueued (at most {@code limit}); returns how many. */
  int jobPromoteDue(JobPromoteParams params);

  /**
   * Cancels, with reason {@value JobExpireParams#REASON}, waiting jobs (enqueued, scheduled or
   * awaiting) that never started and whose start deadline ({@link dev.taskflow.JobFlow#startBy()})
   * is at or before now, at most {@code limit}; appends {@code job.cancelled} and a history entry
   * for each. Each change is conditional on the job still waiting, so sweeps on several servers at
   * once cancel a job once. {@link #jobClaim} never starts such a job, swept or not.
   *
   * @return how many were cancelled
   */
  int jobExpireDue(JobExpireParams params);

  /**
   * A user's cancel, retry or delete of one job.
   *
   * @throws dev.taskflow.JobNotFoundException when no job has the id
   * @throws dev.taskflow.IllegalTransitionException when its state forbids the action
   */
  Job jobChangeState(JobChangeStateParams params);

  /**
   * Removes finished jobs (and their events) that finished before the cutoffs; returns how many.
   */
  int jobRetentionDelete(JobRetentionParams params);

  /**
   * Appends a custom or log event for a job; returns it with its id. With a {@link
   * EventAppendParams#lease() lease}, the append is fenced in the same operation as the insert and
   * returns {@code null}, writing nothing, when the job is not processing under that lease.
   *
   * @throws dev.taskflow.JobNotFoundException when the job does not exist
   */
  JobEvent eventAppend(EventAppendParams params);

  /** Persisted events with sequence after {@code afterSeq}, in order, at most {@code limit}. */
  List<JobEvent> eventsSince(EventsSinceParams params);

  /** The sequence of the newest persisted event, or 0. */
  long eventLatestSeq();

  void queuePause(String queue);

  void queueResume(String queue);

  /**
   * Sets the maximum depth of a queue, or clears it ({@code null}): the most waiting jobs
   * (enqueued, scheduled and awaiting, counted from the per-state counters) it may hold, shared by
   * every server of the store. From then on {@link #jobInsertMany} refuses a batch that would take
   * a bounded queue past its bound with {@link dev.taskflow.QueueFullException}, writing none of
   * the batch. The bound is checked when the batch is inserted; a store with concurrent writers
   * either serialises inserts into bounded queues (exact) or may overshoot by at most the sizes of
   * concurrent batches, and says which in its documentation. Jobs that enter the queue by other
   * ways (retries, promotions, recurring fires, cursors, batch callbacks) are never refused.
   *
   * @param maxDepth 0 or more, or null for no bound
   */
  void queueSetMaxDepth(String queue, Integer maxDepth);

  /** Every queue that has jobs, is paused or has a maximum depth, with counts per state. */
  List<QueueStats> queueStats();

  /** Job counts per state, from counters maintained with each change. */
  Map<JobState, Long> jobCountByState();

  /** Registers or refreshes a server; {@code lastHeartbeatAt} is set to the store's now. */
  void serverHeartbeat(ServerInfo server);

  /** Servers whose last heartbeat is at or after {@code since}. */
  List<ServerInfo> serverList(Instant since);

  void serverRemove(String serverId);

  /**
   * Takes or renews a named leadership: true when {@code owner} holds it until {@code now + ttl}
   * afterwards. Another owner gets it only once the holder's ttl has passed (strictly after its
   * expiry on the store clock). Work that must run once per cluster (retention, the recurring
   * scheduler, the webhook fan-out) runs only on the leader. Every store keeps real leases, also
   * one that a single process uses: several TaskFlow instances may share it.
   */
  boolean leaderTryAcquire(LeaderParams params);

  /** Gives a leadership up early (at shutdown), if {@code owner} holds it. */
  void leaderRelease(String name, String owner);

  /**
   * Starts delivering notifications of changes made by other processes; returns a handle that stops
   * them. Notifications only make the engine react sooner: polling still catches everything. A
   * store without notifications ({@code capabilities().wakeups()} false) returns a handle that does
   * nothing and never calls the listener.
   */
  AutoCloseable listen(StoreListener listener);

  // ------------------------------------------------------------------ optional features

  /** The store's webhook registrations, or empty when it keeps none. */
  default Optional<WebhookStore> webhooks() {
    return Optional.empty();
  }

  /** The store's cluster-wide limits, or empty when it keeps none (claims are then unlimited). */
  default Optional<LimitStore> limits() {
    return Optional.empty();
  }

  /** The store's recurring schedules, or empty when it keeps none. */
  default Optional<RecurringStore> recurring() {
    return Optional.empty();
  }

  /** Job dependencies and batches, or empty when the store keeps neither. */
  default Optional<FlowStore> flows() {
    return Optional.empty();
  }

  /** Durable cursors over the event log, or empty when the store keeps none. */
  default Optional<CursorStore> cursors() {
    return Optional.empty();
  }

  @Override
  void close();
}
