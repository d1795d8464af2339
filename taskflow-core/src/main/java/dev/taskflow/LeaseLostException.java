package dev.taskflow;

import java.util.UUID;

/**
 * A remote worker reported on a lease it no longer holds: the lease expired and the job was
 * rescued, another worker holds it now, or a user cancelled or deleted it. Nothing changed. HTTP
 * 409.
 */
public class LeaseLostException extends TaskFlowException {
  private final UUID jobId;

  public LeaseLostException(UUID jobId, String detail) {
    super("lease on job " + jobId + " is lost: " + detail);
    this.jobId = jobId;
  }

  public UUID jobId() {
    return jobId;
  }
}
