package dev.taskflow.spi;

import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.LimitUsage;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.Webhook;
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
   * dev.taskflow.QueueFullException}.
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
   * <p>Never starts a job that would exceed a {@link FlowLimit} matching it, however many servers
   * claim at once: over-limit jobs stay enqueued. Where a limit with an owner scope matches the
   * queue, the order is round-robin between owners (see {@link LimitPlanner}).
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
  default int jobExpireDue(JobExpireParams params) {
    return 0;
  }

  /**
   * Resolves awaiting jobs whose parents have all finished, per {@link Dependencies#decide}: at
   * most {@code limit} jobs change, each by a change conditional on it still being awaiting (so
   * sweeps on several servers at once move a job once), with its event ({@code job.enqueued},
   * {@code job.scheduled} or {@code job.cancelled}) and history entry. Jobs that stay awaiting
   * under {@link dev.taskflow.ParentFailure#WAIT} are skipped, never counted against the limit. A
   * job cancelled here is itself a finished parent for the next call (cascades).
   *
   * <p>{@link #jobInsertMany} puts a job with {@code dependsOn} into {@code awaiting} (event {@code
   * job.awaiting}), refuses the whole batch with {@link dev.taskflow.InvalidJobException} (field
   * {@code dependsOn/<k>}, or {@code jobs/<i>/dependsOn/<k>} in a batch of several, rule {@code
   * unknown_parent}) when a parent is neither stored nor in the batch, and resolves at once a job
   * whose parents have all finished already. Retention keeps a finished job while a job awaits it.
   * Stores without dependencies leave the default, which resolves nothing.
   *
   * @return how many jobs changed state
   */
  default int jobResolveAwaiting(AwaitingResolveParams params) {
    return 0;
  }

  /** The ids of the jobs that depend on {@code parentId}, in id order, at most {@code limit}. */
  default List<UUID> jobDependents(UUID parentId, int limit) {
    return List.of();
  }

  /**
   * Inserts a batch row ({@code open}, total = the members inserted) and its members, each with the
   * batch id set, in one transaction, as {@link #jobInsertMany} inserts jobs (members may depend on
   * each other and on stored jobs). Stores that keep no batches leave the default, which refuses.
   *
   * @return one outcome per member, in order
   */
  default List<InsertOutcome> batchInsert(BatchInsertParams params) {
    throw new StorageException(this + " does not keep batches");
  }

  /** A batch with its member counts per state. */
  default Optional<BatchRecord> batchGet(UUID batchId) {
    throw new StorageException(this + " does not keep batches");
  }

  /**
   * Finishes open batches whose members have all finished, at most {@code limit}: in one
   * transaction each, the batch row moves from {@code open} to {@code completed} (every member
   * completed) or {@code failed} by a change conditional on it being open (so, of servers sweeping
   * at once, exactly one finishes it), its callback job (if any, see {@link BatchSpec}) is
   * inserted, and {@code batch.completed} or {@code batch.failed} is appended for the callback job,
   * or for the member that finished last when there is none. Stores without batches resolve
   * nothing.
   *
   * @return how many batches finished
   */
  default int batchResolveFinished(BatchResolveParams params) {
    return 0;
  }

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
   * ways (retries, promotions, recurring fires, cursors) are never refused. Stores that keep no
   * bounds leave the default, which refuses.
   *
   * @param maxDepth 0 or more, or null for no bound
   */
  default void queueSetMaxDepth(String queue, Integer maxDepth) {
    throw new StorageException(this + " does not keep queue depth bounds");
  }

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
   * afterwards. Another owner gets it only once the holder's ttl has passed. Work that must run
   * once per cluster (retention, later the recurring scheduler) runs only on the leader.
   *
   * <p>The default, always true, suits a store that only one process uses; a store that several
   * processes share must override it.
   */
  default boolean leaderTryAcquire(LeaderParams params) {
    return true;
  }

  /** Gives a leadership up early (at shutdown), if {@code owner} holds it. */
  default void leaderRelease(String name, String owner) {}

  /**
   * Inserts or replaces a webhook registration (matched by id), as given: the caller sets its
   * times. Stores that keep no webhooks leave the defaults, which refuse.
   */
  default void webhookSave(Webhook webhook) {
    throw new StorageException(this + " does not keep webhooks");
  }

  default Optional<Webhook> webhookGet(UUID id) {
    throw new StorageException(this + " does not keep webhooks");
  }

  /** Webhooks in id order after {@code afterId}, at most {@code limit}. */
  default List<Webhook> webhookList(WebhookListParams params) {
    throw new StorageException(this + " does not keep webhooks");
  }

  /** Removes a webhook; false when none had the id. */
  default boolean webhookDelete(UUID id) {
    throw new StorageException(this + " does not keep webhooks");
  }

  /**
   * Inserts or replaces a limit (matched by name). Every claim afterwards, on every server of the
   * store, keeps it: {@link #jobClaim} never starts a job that would exceed a limit matching it (a
   * store may cache limits for up to a second; its own changes apply at once). Stores that keep no
   * limits leave the defaults, which refuse.
   */
  default void limitSave(FlowLimit limit) {
    throw new StorageException(this + " does not keep limits");
  }

  default Optional<FlowLimit> limitGet(String name) {
    throw new StorageException(this + " does not keep limits");
  }

  /** Every limit, in name order. */
  default List<FlowLimit> limitList() {
    throw new StorageException(this + " does not keep limits");
  }

  /** Removes a limit and its rate history; false when none had the name. */
  default boolean limitDelete(String name) {
    throw new StorageException(this + " does not keep limits");
  }

  /** Running jobs and recent starts per bucket of a limit, or empty when none has the name. */
  default Optional<LimitUsage> limitUsage(String name) {
    throw new StorageException(this + " does not keep limits");
  }

  /**
   * The position of a durable cursor over the event log: the sequence of the last event its owner
   * handled. A cursor that does not exist yet is created at {@link #eventLatestSeq()}, so a new
   * cursor starts at the current end of the log and sees only events appended afterwards; callers
   * that create the same cursor at once all get the one position stored. Stores that keep no
   * cursors leave the default, which refuses.
   */
  default long cursorGet(String name) {
    throw new StorageException(this + " does not keep cursors");
  }

  /**
   * Atomically moves a cursor from {@code expectedPosition} to {@code newPosition} (compare and
   * set) and inserts the jobs as {@link #jobInsertMany} does (unique keys, {@code job.enqueued} or
   * {@code job.scheduled} events), all in one transaction. Work that must see every event once per
   * cluster reads events after the position, builds its jobs and advances: of two processes that
   * read the same position, exactly one wins.
   *
   * @return false, with nothing written, when the cursor is missing or not at {@code
   *     expectedPosition} (another process moved it: read it again)
   */
  default boolean cursorAdvance(CursorAdvanceParams params) {
    throw new StorageException(this + " does not keep cursors");
  }

  /**
   * Inserts a recurring schedule or replaces its definition, paused flag and next fire time,
   * keeping its runs, last fire and creation time.
   *
   * @return true when no schedule had the id before
   */
  default boolean recurringSave(RecurringSaveParams params) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  default Optional<RecurringRecord> recurringGet(String id) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  /** Schedules in id order; see {@link RecurringListParams}. */
  default List<RecurringRecord> recurringList(RecurringListParams params) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  /** Removes a schedule (its jobs stay); false when none had the id. */
  default boolean recurringDelete(String id) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  /** Unpaused schedules due by the store's now plus a window; see {@link RecurringDueParams}. */
  default List<RecurringRecord> recurringDue(RecurringDueParams params) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  /**
   * Fires a schedule once per fire time: in one transaction, compares and sets its next fire time
   * and inserts the fire's jobs (unique keys and events as {@link #jobInsertMany}). Of two servers
   * that read the same next fire time, exactly one wins.
   *
   * @return false, with nothing written, when the schedule is missing or its next fire time is not
   *     {@code expectedNextFireAt} any more
   */
  default boolean recurringFire(RecurringFireParams params) {
    throw new StorageException(this + " does not keep recurring schedules");
  }

  /**
   * Starts delivering notifications of changes made by other processes; returns a handle that stops
   * them. The default delivers none (polling covers it): stores with {@code
   * capabilities().wakeups()} override it.
   */
  default AutoCloseable listen(StoreListener listener) {
    return () -> {};
  }

  @Override
  void close();
}
