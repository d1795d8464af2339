package dev.taskflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Leases jobs to workers in other processes or languages (the HTTP API's {@code /workers/lease}). A
 * leased job is held exactly like a local one: its lease must be extended by heartbeats, every
 * report is fenced by the lease token ({@code id AND attempt AND owner}), and a worker that goes
 * silent loses the job to the rescuer when the lease expires, which counts as an attempt.
 *
 * <p><b>Tokens are secrets.</b> Each lease call draws a random 128-bit secret; the job's stored
 * lease owner is {@code remote:<workerId>#<leaseId>}, where the lease id is a SHA-256 digest of the
 * secret, and only the token carries the secret itself. Everything the API shows (the job's {@code
 * leaseOwner}, its history, its events, error messages) therefore names the lease without revealing
 * how to act on it: a token rebuilt from it fails the fencing like a stale one. The store needs no
 * extra column, and every node of a cluster checks a token the same way.
 *
 * {@snippet :
 * RemoteWorkers remote = taskflow.remoteWorkers();
 * for (RemoteWorkers.LeasedJob leased : remote.lease(new RemoteWorkers.LeaseRequest(
 *     "py-worker-1", Set.of("default"), Set.of("embedding.generate"), 10, Duration.ofSeconds(60), Duration.ofSeconds(20)))) {
 *   remote.complete(leased.job().id(), leased.leaseToken(), "{\"ok\":true}");
 * }
 * }
 */
public interface RemoteWorkers {
  Duration MIN_LEASE = Duration.ofSeconds(5);
  Duration MAX_LEASE = Duration.ofHours(1);
  Duration MAX_WAIT = Duration.ofSeconds(60);
  int MAX_JOBS = 100;

  /**
   * @param workerId a stable name of the worker process (1..128 of {@code [A-Za-z0-9_.:-]})
   * @param queues queues to lease from, in order of preference (at least one)
   * @param types only these job types (empty: any)
   * @param max 1..100 jobs
   * @param leaseDuration 5 s..1 h; heartbeat well within it
   * @param longPoll wait up to this long (0..60 s) when nothing is ready
   */
  public record LeaseRequest(
      String workerId,
      List<String> queues,
      Set<String> types,
      int max,
      Duration leaseDuration,
      Duration longPoll) {
    public LeaseRequest {
      queues = queues == null ? List.of() : List.copyOf(queues);
      // in the order given, so a refusal can name the bad entry by its index
      types =
          types == null
              ? Set.of()
              : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(types));
    }
  }

  /**
   * @param job the job as claimed (attempt already counted)
   * @param leaseToken pass it back with every heartbeat, completion, failure and event; a secret
   *     (it cannot be rebuilt from what the API shows about the job), so keep it out of logs
   * @param leaseExpiresAt when the lease ends unless extended (store clock)
   */
  public record LeasedJob(Job job, String leaseToken, Instant leaseExpiresAt) {}

  /**
   * Leases up to {@code max} jobs, waiting up to {@code wait} for the first when none is ready.
   *
   * @throws InvalidJobException naming the bad field
   */
  List<LeasedJob> lease(LeaseRequest r) throws InterruptedException;

  /**
   * Extends the lease (by the given duration from the store's now) and stores progress if given.
   *
   * @return the new expiry
   * @throws LeaseLostException when the lease is no longer held
   */
  Instant heartbeat(UUID jobId, String leaseToken, Duration extendBy, JobProgress progress);

  /** Completes the job with a result (JSON text or null). */
  Job complete(UUID jobId, String leaseToken, String resultJson);

  /**
   * Records a failed attempt: retried with the default backoff while attempts remain and {@code
   * retryable}, else failed for good.
   */
  Job fail(
      UUID jobId,
      String leaseToken,
      String errorType,
      String message,
      String stackTrace,
      boolean retryable);

  /**
   * Emits a custom event for a job the worker holds.
   *
   * <p>The append is fenced in the same store operation as the insert: once the lease is lost,
   * nothing is written and the call answers lease lost.
   */
  JobEvent emit(UUID jobId, String leaseToken, String eventType, String dataJson);
}
