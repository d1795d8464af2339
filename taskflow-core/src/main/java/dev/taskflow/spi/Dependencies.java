package dev.taskflow.spi;

import dev.taskflow.InvalidJobException;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import java.util.Collection;
import java.util.List;

/**
 * What happens to an awaiting job given its parents' states: the one rule every store applies, so
 * that they all agree.
 *
 * <ul>
 *   <li>A parent not finished yet (awaiting, scheduled, enqueued, processing): keep waiting.
 *   <li>Every parent completed: release (enqueued, or scheduled when its {@code runAt} is later).
 *   <li>Otherwise (a parent failed, cancelled or deleted) per {@link ParentFailure}: {@code CANCEL}
 *       cancels with reason {@value #PARENT_FAILED}; {@code RUN} releases; {@code WAIT} keeps
 *       waiting for a person to retry the parent, unless a parent was deleted (it can never
 *       complete again), which cancels with reason {@value #PARENT_DELETED}.
 * </ul>
 *
 * A parent that is gone from the store (a {@code null} state) counts as deleted; stores keep a
 * finished parent while a job awaits it, so that only happens when rows were removed by hand.
 */
public final class Dependencies {
  public static final String PARENT_FAILED = "parent_failed";
  public static final String PARENT_DELETED = "parent_deleted";

  /** The reason in the history and event of a job released because its parents finished. */
  public static final String PARENTS_FINISHED = "parents_finished";

  /** The outcome for one awaiting job. */
  public enum Outcome {
    /** Stays awaiting. */
    WAIT,
    /** Moves to enqueued (or scheduled when due later). */
    RELEASE,
    /** Cancelled with reason {@link #PARENT_FAILED}. */
    CANCEL_PARENT_FAILED,
    /** Cancelled with reason {@link #PARENT_DELETED}. */
    CANCEL_PARENT_DELETED
  }

  private Dependencies() {}

  /**
   * @param policy the job's policy (null means {@link ParentFailure#CANCEL})
   * @param parentStates the states of its parents, {@code null} for a parent no longer stored
   */
  public static Outcome decide(ParentFailure policy, Collection<JobState> parentStates) {
    boolean allCompleted = true;
    boolean deleted = false;
    for (JobState s : parentStates) {
      if (s != null && !s.isFinished()) return Outcome.WAIT;
      if (s != JobState.COMPLETED) allCompleted = false;
      if (s == null || s == JobState.DELETED) deleted = true;
    }
    if (allCompleted) return Outcome.RELEASE;
    return switch (policy == null ? ParentFailure.CANCEL : policy) {
      case CANCEL -> Outcome.CANCEL_PARENT_FAILED;
      case RUN -> Outcome.RELEASE;
      case WAIT -> deleted ? Outcome.CANCEL_PARENT_DELETED : Outcome.WAIT;
    };
  }

  /** The reason recorded for a cancelling outcome. */
  public static String reason(Outcome o) {
    return o == Outcome.CANCEL_PARENT_DELETED ? PARENT_DELETED : PARENT_FAILED;
  }

  /**
   * A batch whose members have all finished: {@value BatchRecord#COMPLETED} when every member
   * completed, else {@value BatchRecord#FAILED}.
   */
  public static String batchOutcome(java.util.Map<JobState, Long> counts) {
    for (var e : counts.entrySet()) {
      if (e.getKey() != JobState.COMPLETED && e.getValue() > 0) return BatchRecord.FAILED;
    }
    return BatchRecord.COMPLETED;
  }

  /**
   * The error for parent {@code k} of job {@code i} of an insert, which is neither stored nor in
   * the batch: field {@code dependsOn/<k>} (in a batch of several {@code jobs/<i>/dependsOn/<k>}),
   * rule {@code unknown_parent}.
   */
  public static InvalidJobException unknownParent(List<NewJob> jobs, int i, int k) {
    NewJob n = jobs.get(i);
    String field = (jobs.size() > 1 ? "jobs/" + i + "/" : "") + "dependsOn/" + k;
    return new InvalidJobException(
        field,
        "unknown_parent",
        n.type(),
        "job %s (type %s) depends on %s, which is neither stored nor in the same batch; nothing was stored"
            .formatted(n.id(), n.type(), n.flow().dependsOn().get(k)));
  }
}
