package dev.taskflow.spi;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
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
   * Appends {@code job.enqueued} or {@code job.scheduled} for each inserted job.
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
   * Two concurrent claimers never get the same job. Appends {@code job.started}.
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

  /** Appends a custom or log event for a job; returns it with its id. */
  JobEvent eventAppend(EventAppendParams params);

  /** Persisted events with sequence after {@code afterSeq}, in order, at most {@code limit}. */
  List<JobEvent> eventsSince(EventsSinceParams params);

  /** The sequence of the newest persisted event, or 0. */
  long eventLatestSeq();

  void queuePause(String queue);

  void queueResume(String queue);

  /** Every queue that has jobs or is paused, with counts per state. */
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
