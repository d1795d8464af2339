package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The maintenance moves: rescue of expired leases, heartbeats, and promotion of due jobs. */
public interface RescueAndPromotionContract extends TckSupport {

  @Test
  default void a_lease_is_not_rescued_before_it_expires() {
    Job claimed = running(job());

    clock().advance(LEASE); // exactly at expiry: not yet expired ("expired before now")
    assertThat(rescue()).isZero();
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.PROCESSING);

    clock().advance(Duration.ofMillis(1));
    assertThat(rescue()).isEqualTo(1);
  }

  @Test
  default void an_expired_lease_with_attempts_left_goes_back_to_enqueued_and_counts_the_attempt() {
    Job claimed = running(job().maxAttempts(2));
    Instant now = clock().advance(LEASE.plusSeconds(1));

    assertThat(rescue()).isEqualTo(1);

    Job rescued = get(claimed.id());
    assertThat(rescued.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(rescued.attempt()).isEqualTo(1);
    assertThat(rescued.leaseOwner()).isNull();
    assertThat(rescued.leaseExpiresAt()).isNull();
    assertThat(rescued.errors()).hasSize(1);
    JobError err = rescued.errors().get(0);
    assertThat(err.type()).isEqualTo("lease_expired");
    assertThat(err.attempt()).isEqualTo(1);
    assertThat(err.at()).isEqualTo(now);
    HistoryEntry last = rescued.history().get(rescued.history().size() - 1);
    assertThat(last.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(last.at()).isEqualTo(now);
    assertThat(lastEvent(claimed.id()).type()).isEqualTo(JobEvent.ENQUEUED);
    assertThat(claimOne(SERVER_B).attempt()).isEqualTo(2);
  }

  @Test
  default void an_expired_lease_on_the_last_attempt_fails_the_job() {
    Job claimed = running(job().maxAttempts(1));
    Instant now = clock().advance(LEASE.plusSeconds(1));

    assertThat(rescue()).isEqualTo(1);

    Job failed = get(claimed.id());
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.finishedAt()).isEqualTo(now);
    assertThat(failed.errors()).extracting(JobError::type).containsExactly("lease_expired");
    assertThat(lastEvent(claimed.id()).type()).isEqualTo(JobEvent.FAILED);
    assertThat(claim(QUEUE, 10)).isEmpty();
  }

  @Test
  default void a_job_that_keeps_killing_its_worker_ends_failed() {
    Job j = insert(job().maxAttempts(3));
    for (int i = 1; i <= 3; i++) {
      assertThat(claimOne(SERVER_A).attempt()).isEqualTo(i);
      clock().advance(LEASE.plusSeconds(1));
      assertThat(rescue()).isEqualTo(1);
    }
    Job failed = get(j.id());
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.errors()).extracting(JobError::attempt).containsExactly(1, 2, 3);
  }

  @Test
  default void a_heartbeat_extends_the_lease_so_the_job_is_not_rescued() {
    Job claimed = running(job());
    Instant beat = clock().advance(Duration.ofSeconds(20));

    assertThat(store().jobHeartbeat(new JobHeartbeatParams(List.of(lease(claimed)), LEASE)))
        .containsExactly(claimed.id());
    assertThat(get(claimed.id()).leaseExpiresAt()).isEqualTo(beat.plus(LEASE));

    clock().advance(Duration.ofSeconds(20)); // past the first lease, within the second
    assertThat(rescue()).isZero();
    assertThat(get(claimed.id()).state()).isEqualTo(JobState.PROCESSING);

    clock().advance(Duration.ofSeconds(11));
    assertThat(rescue()).isEqualTo(1);
  }

  @Test
  default void a_rescue_moves_at_most_limit_jobs() {
    insertN(5, s -> s);
    claim(QUEUE, 5);
    clock().advance(LEASE.plusSeconds(1));

    assertThat(store().jobRescueExpired(new JobRescueParams(SERVER_B, 2))).isEqualTo(2);
    assertThat(store().jobRescueExpired(new JobRescueParams(SERVER_B, 10))).isEqualTo(3);
    assertThat(counts().get(JobState.ENQUEUED)).isEqualTo(5);
  }

  @Test
  default void a_delayed_job_is_scheduled_at_store_now_plus_delay_and_appends_job_scheduled() {
    Instant now = clock().instant();
    Job delayed = insert(job().delay(Duration.ofSeconds(10)));
    Job later = insert(job().runAt(now.plus(Duration.ofHours(1))));

    assertThat(delayed.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(delayed.scheduledAt()).isEqualTo(now.plusSeconds(10));
    assertThat(later.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(later.scheduledAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(eventTypes(delayed.id())).containsExactly(JobEvent.SCHEDULED);
    assertThat(delayed.history())
        .extracting(HistoryEntry::state)
        .containsExactly(JobState.SCHEDULED);
  }

  @Test
  default void a_job_due_now_or_earlier_is_enqueued_at_once_keeping_its_due_time() {
    Instant now = clock().instant();
    Job past = insert(job().runAt(now.minusSeconds(30)));
    Job exactlyNow = insert(job().runAt(now));
    Job noDelay = insert(job().delay(Duration.ZERO));
    Job plain = insert(job());

    assertThat(List.of(past, exactlyNow, noDelay, plain))
        .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.ENQUEUED));
    assertThat(past.scheduledAt()).isEqualTo(now.minusSeconds(30));
    assertThat(plain.scheduledAt()).isEqualTo(now);
    assertThat(plain.createdAt()).isEqualTo(now);
    assertThat(eventTypes(plain.id())).containsExactly(JobEvent.ENQUEUED);
  }

  @Test
  default void only_due_scheduled_jobs_are_promoted() {
    Job soon = insert(job().delay(Duration.ofSeconds(10)));
    Job later = insert(job().delay(Duration.ofSeconds(60)));

    clock().advance(Duration.ofSeconds(9));
    assertThat(promote()).isZero();

    Instant now = clock().advance(Duration.ofSeconds(1)); // due exactly now: promoted
    assertThat(promote()).isEqualTo(1);

    Job promoted = get(soon.id());
    assertThat(promoted.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(promoted.scheduledAt()).isEqualTo(now);
    assertThat(promoted.history().get(promoted.history().size() - 1).state())
        .isEqualTo(JobState.ENQUEUED);
    assertThat(eventTypes(soon.id())).containsExactly(JobEvent.SCHEDULED, JobEvent.ENQUEUED);
    assertThat(get(later.id()).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(claim(QUEUE, 10)).extracting(Job::id).containsExactly(soon.id());
  }

  @Test
  default void a_promotion_moves_at_most_limit_jobs() {
    insertN(5, s -> s.delay(Duration.ofSeconds(1)));
    clock().advance(Duration.ofSeconds(1));

    assertThat(store().jobPromoteDue(new JobPromoteParams(SERVER_A, 3))).isEqualTo(3);
    assertThat(store().jobPromoteDue(new JobPromoteParams(SERVER_A, 3))).isEqualTo(2);
    assertThat(store().jobPromoteDue(new JobPromoteParams(SERVER_A, 3))).isZero();
  }
}
