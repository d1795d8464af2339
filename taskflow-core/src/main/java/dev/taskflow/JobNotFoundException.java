package dev.taskflow;

import java.util.UUID;

/** No job has that id (or retention already removed it). HTTP 404. */
public class JobNotFoundException extends TaskFlowException {
  private final UUID jobId;

  public JobNotFoundException(UUID jobId) {
    super("no job with id " + jobId);
    this.jobId = jobId;
  }

  public UUID jobId() {
    return jobId;
  }
}
