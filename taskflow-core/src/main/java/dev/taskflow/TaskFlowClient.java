package dev.taskflow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Enqueues, inspects and changes jobs. Thread-safe. {@link TaskFlow} implements it.
 *
 * <p>Every method validates its input first and changes nothing on a bad input: it throws {@link
 * InvalidJobException} (naming the field, the rule, the job type and the value), {@link
 * JobNotFoundException}, {@link IllegalTransitionException} or {@link StorageException}.
 */
public interface TaskFlowClient {

  /** Enqueues a job with default options. */
  default EnqueueResult enqueue(JobArgs args) {
    return enqueue(args, EnqueueOptions.defaults());
  }

  /** Enqueues a job; with a unique key that a live job holds, returns that job as a duplicate. */
  EnqueueResult enqueue(JobArgs args, EnqueueOptions options);

  /** Enqueues a job given by type name and JSON args (the HTTP form). */
  EnqueueResult enqueue(JobRequest request);

  /** Enqueues many jobs atomically: all are stored, or none (the first invalid one is named). */
  List<EnqueueResult> enqueueAll(List<JobRequest> requests);

  Optional<Job> get(UUID id);

  /** Jobs matching the query, newest first, one page at a time. */
  Page<Job> list(JobQuery query);

  /** Cancels a job that has not finished; a running one is interrupted. */
  Job cancel(UUID id);

  /** Moves a failed or cancelled job back to enqueued, allowing at least one more attempt. */
  Job retry(UUID id);

  /**
   * Like {@link #retry(UUID)}, and the job runs at {@code priority} from now on (-100..100), e.g.
   * to let a retried job jump the queue or wait behind fresh work.
   *
   * @throws InvalidJobException field {@code priority}, rule {@code range}, when out of range
   */
  Job retry(UUID id, int priority);

  /** Soft-deletes a job (kept until retention); a running one is interrupted. */
  Job delete(UUID id);

  /** The job's persisted events after {@code afterEventId} (null: from the start), oldest first. */
  List<JobEvent> events(UUID jobId, String afterEventId, int limit);

  /**
   * Delivers matching events, in id order, to {@code listener} until the subscription is closed.
   * With {@code afterEventId}, first replays the persisted events after it, then continues live
   * with no gap and no duplicate. The listener runs on TaskFlow's dispatch thread: keep it quick.
   */
  Subscription subscribe(EventFilter filter, String afterEventId, Consumer<JobEvent> listener);

  /**
   * Blocks until the job is finished (completed, failed, cancelled or deleted) and returns it as it
   * ended.
   *
   * {@snippet :
   * Job done = taskflow.awaitFinished(job.id(), Duration.ofSeconds(30));
   * }
   *
   * @throws JobNotFoundException when no job has the id
   * @throws TimeoutException when it has not finished within {@code timeout}
   */
  default Job awaitFinished(UUID id, Duration timeout)
      throws InterruptedException, TimeoutException {
    Job now = get(id).orElseThrow(() -> new JobNotFoundException(id));
    if (now.state().isFinished()) return now;
    CompletableFuture<Void> finished = new CompletableFuture<>();
    // "0" replays the job's own events from its start, so an end that happened already counts too
    try (Subscription s =
        subscribe(
            EventFilter.forJob(id),
            "0",
            e -> {
              if (e.isTerminal()) finished.complete(null);
            })) {
      finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the future is only completed normally", e);
    } catch (TimeoutException e) {
      Job last = get(id).orElseThrow(() -> new JobNotFoundException(id));
      throw new TimeoutException(
          "job "
              + id
              + " ("
              + last.type()
              + ") is still "
              + last.state().wireName()
              + " after "
              + timeout);
    }
    return get(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  /**
   * Batches of jobs enqueued atomically, and the dependencies between jobs; see {@link Batches}.
   */
  Batches batches();

  /** The recurring schedules in the store (put, pause, resume, trigger, delete). */
  Recurring recurring();

  /** The cluster-wide concurrency and rate limits kept in the store; see {@link FlowLimit}. */
  Limits limits();

  /** The webhook registrations in the store. */
  Webhooks webhooks();

  /** Leases jobs to workers in other processes or languages; see {@link RemoteWorkers}. */
  RemoteWorkers remoteWorkers();

  /** The store's queues: counts, pause and resume, depth bounds, a job's position. */
  Queues queues();

  /** The servers sharing the store, job counts per state, accepted types, the event log head. */
  Cluster cluster();
}
