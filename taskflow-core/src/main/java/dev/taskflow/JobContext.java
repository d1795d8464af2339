package dev.taskflow;

import java.util.UUID;

/** What a running job can see and do. One per attempt; safe to use from the job's own threads. */
public interface JobContext {
  /** The job as it was claimed. */
  Job job();

  default UUID jobId() {
    return job().id();
  }

  /** The attempt number, starting at 1. */
  default int attempt() {
    return job().attempt();
  }

  /** {@code id:attempt}: a key for making the job's effects exactly-once downstream. */
  default String idempotencyKey() {
    return job().idempotencyKey();
  }

  /**
   * Reports progress. The event goes out at once; the store is written at most about once a second
   * per job, and always with the last value.
   *
   * @throws InvalidJobException when the message is longer than 1,000 characters (it travels with
   *     every progress event)
   */
  void progress(JobProgress progress);

  default void progress(int percent, String message) {
    progress(JobProgress.of(percent, message));
  }

  /**
   * Appends a line to the job's log (kept in its event log as {@code job.log}); a line over 4,000
   * characters is cut there, with an ellipsis.
   */
  void log(String message);

  /**
   * Emits a custom event, e.g. {@code workflow.step_completed}, with data Jackson can write.
   * Persisted in the job's event log and delivered to every subscriber.
   *
   * @throws InvalidJobException when the data is not a JSON object or is over 64 KiB of JSON
   */
  void emit(String eventType, Object data);

  /** True once the job was cancelled or deleted by a user, timed out, or the lease was lost. */
  boolean isCancelled();
}
