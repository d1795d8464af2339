package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.HistoryEntry;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobFinish;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A user's cancel, retry and delete: the legal moves, the refused ones, and what they record. */
public interface TransitionContract extends TckSupport {

  /** Puts a fresh job into {@code state} by the ordinary moves; returns its id. */
  private UUID jobIn(JobState state) {
    switch (state) {
      case SCHEDULED -> {
        return insert(job().delay(Duration.ofHours(1))).id();
      }
      case ENQUEUED -> {
        return insert(job().queue("parked")).id();
      }
      case PROCESSING -> {
        return running(job()).id();
      }
      case COMPLETED -> {
        Job j = running(job());
        finish(new JobFinish.Completed(lease(j), "{}"));
        return j.id();
      }
      case FAILED -> {
        Job j = running(job());
        finish(new JobFinish.Failed(lease(j), error(1, "x")));
        return j.id();
      }
      case CANCELLED -> {
        UUID id = insert(job()).id();
        change(id, Action.CANCEL);
        return id;
      }
      case DELETED -> {
        UUID id = insert(job()).id();
        change(id, Action.DELETE);
        return id;
      }
      default -> throw new IllegalArgumentException("the TCK cannot make a job " + state);
    }
  }

  private void assertRefused(UUID id, Action action) {
    Job before = get(id);
    long seq = store().eventLatestSeq();

    assertThatThrownBy(() -> change(id, action))
        .isInstanceOf(IllegalTransitionException.class)
        .satisfies(
            e -> {
              IllegalTransitionException ite = (IllegalTransitionException) e;
              assertThat(ite.jobId()).isEqualTo(id);
              assertThat(ite.state()).isEqualTo(before.state());
            });
    assertThat(get(id)).isEqualTo(before);
    assertThat(store().eventLatestSeq()).isEqualTo(seq);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "ENQUEUED", "PROCESSING"})
  default void an_unfinished_job_can_be_cancelled(JobState from) {
    UUID id = jobIn(from);
    Instant now = clock().advance(Duration.ofSeconds(3));

    Job cancelled =
        store().jobChangeState(new JobChangeStateParams(id, Action.CANCEL, "by alice", "srv-x"));

    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.finishedAt()).isEqualTo(now);
    assertThat(cancelled.leaseOwner()).isNull();
    assertThat(cancelled.leaseExpiresAt()).isNull();
    assertThat(get(id)).isEqualTo(cancelled);
    HistoryEntry last = cancelled.history().get(cancelled.history().size() - 1);
    assertThat(last).isEqualTo(new HistoryEntry(JobState.CANCELLED, now, "by alice", "srv-x"));
    assertThat(lastEvent(id).type()).isEqualTo(JobEvent.CANCELLED);
    assertThat(claim(QUEUE, 10)).isEmpty();
    assertThat(claim("parked", 10)).isEmpty();
    assertThat(promote()).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = JobState.class,
      names = {"COMPLETED", "FAILED", "CANCELLED", "DELETED"})
  default void a_finished_job_cannot_be_cancelled(JobState from) {
    assertRefused(jobIn(from), Action.CANCEL);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "ENQUEUED", "PROCESSING", "COMPLETED", "DELETED"})
  default void only_failed_or_cancelled_jobs_can_be_retried(JobState from) {
    assertRefused(jobIn(from), Action.RETRY);
  }

  @Test
  default void a_deleted_job_cannot_be_deleted_again() {
    assertRefused(jobIn(JobState.DELETED), Action.DELETE);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobState.class,
      names = {"FAILED", "CANCELLED"})
  default void a_retry_enqueues_the_job_now_with_at_least_one_more_attempt(JobState from) {
    UUID id = jobIn(from);
    Job before = get(id);
    Instant now = clock().advance(Duration.ofMinutes(5));

    Job retried = change(id, Action.RETRY);

    assertThat(retried.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(retried.scheduledAt()).isEqualTo(now);
    assertThat(retried.attempt()).isEqualTo(before.attempt());
    assertThat(retried.maxAttempts())
        .isEqualTo(Math.max(before.maxAttempts(), before.attempt() + 1));
    assertThat(retried.finishedAt()).isNull();
    assertThat(retried.history().get(retried.history().size() - 1).state())
        .isEqualTo(JobState.ENQUEUED);
    assertThat(lastEvent(id).type()).isEqualTo(JobEvent.ENQUEUED);
    assertThat(claimOne(SERVER_A).attempt()).isEqualTo(before.attempt() + 1);
  }

  @Test
  default void a_retry_of_a_job_that_used_all_its_attempts_grants_one_more() {
    Job j = running(job().maxAttempts(1));
    finish(new JobFinish.Failed(lease(j), error(1, "x")));

    Job retried = change(j.id(), Action.RETRY);

    assertThat(retried.maxAttempts()).isEqualTo(2);
    Job again = claimOne(SERVER_A);
    assertThat(again.attempt()).isEqualTo(2);
    // and the rescue of that extra attempt fails it for good, as its last one
    clock().advance(LEASE.plusSeconds(1));
    rescue();
    assertThat(get(j.id()).state()).isEqualTo(JobState.FAILED);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobState.class,
      names = {"SCHEDULED", "ENQUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"})
  default void any_job_but_a_deleted_one_can_be_deleted(JobState from) {
    UUID id = jobIn(from);
    Instant now = clock().advance(Duration.ofSeconds(1));

    Job deleted = change(id, Action.DELETE);

    assertThat(deleted.state()).isEqualTo(JobState.DELETED);
    assertThat(deleted.leaseOwner()).isNull();
    assertThat(deleted.leaseExpiresAt()).isNull();
    // retention of deleted jobs counts from the deletion
    assertThat(deleted.finishedAt()).isEqualTo(now);
    assertThat(lastEvent(id).type()).isEqualTo(JobEvent.DELETED);
    assertThat(get(id).state()).isEqualTo(JobState.DELETED);
    assertThat(claim(QUEUE, 10)).isEmpty();
    assertThat(claim("parked", 10)).isEmpty();
  }

  @Test
  default void cancelling_a_running_job_clears_its_lease_and_fences_its_worker_out() {
    Job claimed = running(job());

    change(claimed.id(), Action.CANCEL);

    assertThat(finish(new JobFinish.Completed(lease(claimed), "{}"))).isEmpty();
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(get(claimed.id()).resultJson()).isNull();
    clock().advance(LEASE.multipliedBy(2));
    assertThat(rescue()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  default void an_unknown_id_is_not_found(Action action) {
    UUID unknown = newId();

    assertThatThrownBy(() -> change(unknown, action))
        .isInstanceOf(JobNotFoundException.class)
        .satisfies(e -> assertThat(((JobNotFoundException) e).jobId()).isEqualTo(unknown));
    assertThat(store().jobGet(unknown)).isEmpty();
  }
}
