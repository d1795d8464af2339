package dev.taskflow.tck;

import dev.taskflow.JobError;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobLease;
import java.time.Duration;
import java.time.Instant;

/** Every kind of attempt outcome, so a test can run once per kind. */
public enum FinishKind {
  COMPLETED,
  RETRY,
  FAILED,
  SNOOZED,
  CANCELLED,
  RELEASED;

  public JobFinish of(JobLease lease, Instant at) {
    JobError error =
        new JobError(lease.attempt(), at, "java.io.IOException", "boom", "java.io.IOException");
    return switch (this) {
      case COMPLETED -> new JobFinish.Completed(lease, "{\"ok\":true}");
      case RETRY -> new JobFinish.Retry(lease, error, Duration.ofSeconds(10));
      case FAILED -> new JobFinish.Failed(lease, error);
      case SNOOZED -> new JobFinish.Snoozed(lease, Duration.ofSeconds(10));
      case CANCELLED -> new JobFinish.Cancelled(lease, "handler gave up");
      case RELEASED -> new JobFinish.Released(lease, "shutdown");
    };
  }
}
