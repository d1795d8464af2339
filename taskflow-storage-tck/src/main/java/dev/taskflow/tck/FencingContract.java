package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobProgress;
import dev.taskflow.JobState;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobProgressParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fencing: every write on a processing job matches id, attempt, lease owner and state; a worker
 * that lost its job changes nothing and its id is absent from the result.
 */
public interface FencingContract extends TckSupport {

  /**
   * Asserts that {@code staleLease} can do nothing to the job: heartbeat, progress and {@code
   * outcome} each change no job field, append no event and report the id as not held.
   */
  private void assertStaleLeaseChangesNothing(JobLease staleLease, FinishKind outcome) {
    Job before = get(staleLease.id());
    long seqBefore = store().eventLatestSeq();
    Map<?, ?> countsBefore = counts();
    clock().advance(Duration.ofSeconds(1));

    assertThat(store().jobHeartbeat(new JobHeartbeatParams(List.of(staleLease), LEASE)))
        .as("heartbeat of a stale lease")
        .isEmpty();
    assertThat(store().jobProgress(new JobProgressParams(staleLease, JobProgress.of(50, "half"))))
        .as("progress of a stale lease")
        .isFalse();
    assertThat(store().eventAppend(EventAppendParams.fenced(staleLease, "tck.custom", "{\"n\":1}")))
        .as("a custom event appended under a stale lease")
        .isNull();
    assertThat(finish(outcome.of(staleLease, clock().instant())))
        .as("%s with a stale lease", outcome)
        .isEmpty();

    assertThat(get(staleLease.id())).isEqualTo(before);
    assertThat(store().eventLatestSeq()).isEqualTo(seqBefore);
    assertThat(counts()).isEqualTo(countsBefore);
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void a_worker_with_the_wrong_attempt_changes_nothing(FinishKind outcome) {
    Job claimed = running(job());
    JobLease wrongAttempt = new JobLease(claimed.id(), claimed.attempt() + 1, SERVER_A);

    assertStaleLeaseChangesNothing(wrongAttempt, outcome);
    assertStaleLeaseChangesNothing(
        new JobLease(claimed.id(), claimed.attempt() - 1, SERVER_A), outcome);
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void a_worker_with_the_wrong_lease_owner_changes_nothing(FinishKind outcome) {
    Job claimed = running(job());

    assertStaleLeaseChangesNothing(
        new JobLease(claimed.id(), claimed.attempt(), SERVER_B), outcome);
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void a_worker_whose_job_was_rescued_and_reclaimed_changes_nothing(FinishKind outcome) {
    Job first = running(job());
    clock().advance(LEASE.plusSeconds(1));
    assertThat(rescue()).isEqualTo(1);
    Job second = claimOne(SERVER_B);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.attempt()).isEqualTo(2);

    assertStaleLeaseChangesNothing(lease(first), outcome);
    // the new holder is unaffected and can still finish
    assertThat(finish(FinishKind.COMPLETED.of(lease(second), clock().instant())))
        .containsExactly(second.id());
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void a_worker_whose_job_was_rescued_but_not_reclaimed_changes_nothing(
      FinishKind outcome) {
    Job claimed = running(job());
    clock().advance(LEASE.plusSeconds(1));
    assertThat(rescue()).isEqualTo(1);

    assertStaleLeaseChangesNothing(lease(claimed), outcome);
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void a_worker_whose_job_was_cancelled_by_a_user_changes_nothing(FinishKind outcome) {
    Job claimed = running(job());
    change(claimed.id(), Action.CANCEL);

    assertStaleLeaseChangesNothing(lease(claimed), outcome);
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.CANCELLED);
  }

  @ParameterizedTest
  @EnumSource(FinishKind.class)
  default void an_outcome_is_recorded_once_and_a_second_one_is_dropped(FinishKind outcome) {
    Job claimed = running(job());
    assertThat(finish(FinishKind.COMPLETED.of(lease(claimed), clock().instant())))
        .containsExactly(claimed.id());

    assertStaleLeaseChangesNothing(lease(claimed), outcome);
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  default void a_batch_records_the_held_leases_and_drops_the_lost_ones() {
    Job held = running(job());
    Job lost = running(job());
    JobLease stale = new JobLease(lost.id(), lost.attempt(), SERVER_B);

    assertThat(
            finish(
                FinishKind.COMPLETED.of(lease(held), clock().instant()),
                FinishKind.COMPLETED.of(stale, clock().instant())))
        .containsExactly(held.id());
    assertThat(get(held.id()).state()).isEqualTo(JobState.COMPLETED);
    assertThat(get(lost.id()).state()).isEqualTo(JobState.PROCESSING);
  }

  @Test
  default void a_heartbeat_returns_only_the_leases_still_held() {
    Job held = running(job());
    Job lost = running(job());
    JobLease unknown = new JobLease(newId(), 1, SERVER_A);

    assertThat(
            store()
                .jobHeartbeat(
                    new JobHeartbeatParams(
                        List.of(
                            lease(held),
                            new JobLease(lost.id(), lost.attempt(), SERVER_B),
                            unknown),
                        LEASE)))
        .containsExactly(held.id());
  }

  @Test
  default void progress_of_the_lease_holder_is_stored_and_appends_job_progress() {
    Job claimed = running(job());
    JobProgress progress = new JobProgress(40, "step two", 2, 5);

    assertThat(store().jobProgress(new JobProgressParams(lease(claimed), progress))).isTrue();

    assertThat(get(claimed.id()).progress()).isEqualTo(progress);
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.PROCESSING);
    var event = lastEvent(claimed.id());
    assertThat(event.type()).isEqualTo("job.progress");
    assertThat(json(event.dataJson()).path("percent").asInt()).isEqualTo(40);
    assertThat(json(event.dataJson()).path("message").asString()).isEqualTo("step two");
  }
}
