package dev.taskflow.spi;

import dev.taskflow.JobError;
import java.time.Duration;

/**
 * The outcome of one attempt, fenced by its lease.
 *
 * <ul>
 *   <li>{@link Completed}: completed with the result; appends {@code job.completed}.
 *   <li>{@link Retry}: records the error, scheduled at {@code now + delay}; appends {@code
 *       job.retrying}.
 *   <li>{@link Failed}: records the error, failed for good; appends {@code job.failed}.
 *   <li>{@link Snoozed}: scheduled at {@code now + delay}, the attempt given back ({@code attempt -
 *       1}); appends {@code job.scheduled}.
 *   <li>{@link Cancelled}: cancelled by the handler; appends {@code job.cancelled}.
 *   <li>{@link Released}: back to enqueued at graceful shutdown, the attempt given back; appends
 *       {@code job.enqueued}.
 * </ul>
 */
public sealed interface JobFinish {
  JobLease lease();

  record Completed(JobLease lease, String resultJson) implements JobFinish {}

  /**
   * @param priority the job's priority from this retry on (-100..100), or null to keep it
   */
  record Retry(JobLease lease, JobError error, Duration delay, Integer priority)
      implements JobFinish {
    /** A retry that keeps the job's priority. */
    public Retry(JobLease lease, JobError error, Duration delay) {
      this(lease, error, delay, null);
    }
  }

  record Failed(JobLease lease, JobError error) implements JobFinish {}

  record Snoozed(JobLease lease, Duration delay) implements JobFinish {}

  record Cancelled(JobLease lease, String reason) implements JobFinish {}

  record Released(JobLease lease, String reason) implements JobFinish {}
}
