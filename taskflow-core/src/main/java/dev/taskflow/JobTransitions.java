package dev.taskflow;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of legal state changes. Stores and the engine consult it; nothing else decides
 * whether a job may move.
 */
public final class JobTransitions {
  private static final Map<JobState, Set<JobState>> LEGAL = new EnumMap<>(JobState.class);

  static {
    LEGAL.put(
        JobState.AWAITING,
        EnumSet.of(JobState.ENQUEUED, JobState.SCHEDULED, JobState.CANCELLED, JobState.DELETED));
    LEGAL.put(
        JobState.SCHEDULED, EnumSet.of(JobState.ENQUEUED, JobState.CANCELLED, JobState.DELETED));
    LEGAL.put(
        JobState.ENQUEUED, EnumSet.of(JobState.PROCESSING, JobState.CANCELLED, JobState.DELETED));
    LEGAL.put(
        JobState.PROCESSING,
        EnumSet.of(
            JobState.COMPLETED,
            JobState.SCHEDULED,
            JobState.FAILED,
            JobState.CANCELLED,
            JobState.ENQUEUED,
            JobState.DELETED));
    LEGAL.put(JobState.COMPLETED, EnumSet.of(JobState.DELETED));
    LEGAL.put(JobState.FAILED, EnumSet.of(JobState.ENQUEUED, JobState.DELETED));
    LEGAL.put(JobState.CANCELLED, EnumSet.of(JobState.ENQUEUED, JobState.DELETED));
    LEGAL.put(JobState.DELETED, EnumSet.noneOf(JobState.class));
  }

  private JobTransitions() {}

  /** Whether a job may move from {@code from} to {@code to}. */
  public static boolean isLegal(JobState from, JobState to) {
    return LEGAL.get(from).contains(to);
  }

  /** The states a user may cancel from: every state that is not finished. */
  public static boolean canCancel(JobState from) {
    return isLegal(from, JobState.CANCELLED);
  }

  /** A manual retry is allowed from failed and cancelled only. */
  public static boolean canRetry(JobState from) {
    return from == JobState.FAILED || from == JobState.CANCELLED;
  }

  /** A delete is allowed from every state except deleted. */
  public static boolean canDelete(JobState from) {
    return isLegal(from, JobState.DELETED);
  }

  /**
   * Throws when the move is illegal.
   *
   * @throws IllegalTransitionException naming the job, its state and the requested action
   */
  public static void check(java.util.UUID jobId, JobState from, JobState to, String action) {
    if (!isLegal(from, to)
        || (to == JobState.ENQUEUED && action.equals("retry") && !canRetry(from))) {
      throw new IllegalTransitionException(jobId, from, action);
    }
  }
}
