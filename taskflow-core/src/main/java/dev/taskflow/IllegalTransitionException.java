package dev.taskflow;

import java.util.UUID;

/** The job's state does not allow the requested action; nothing changed. HTTP 409. */
public class IllegalTransitionException extends TaskFlowException {
  private final UUID jobId;
  private final JobState state;
  private final String action;

  public IllegalTransitionException(UUID jobId, JobState state, String action) {
    super("cannot " + action + " job " + jobId + ": it is " + state.wireName());
    this.jobId = jobId;
    this.state = state;
    this.action = action;
  }

  /**
   * The same refusal, with a detail that says why when the state alone does not, e.g. {@code
   * "unique key 'k' is held by live job 0190…"}.
   */
  public IllegalTransitionException(UUID jobId, JobState state, String action, String detail) {
    super("cannot " + action + " job " + jobId + " (" + state.wireName() + "): " + detail);
    this.jobId = jobId;
    this.state = state;
    this.action = action;
  }

  public UUID jobId() {
    return jobId;
  }

  public JobState state() {
    return state;
  }

  public String action() {
    return action;
  }
}
