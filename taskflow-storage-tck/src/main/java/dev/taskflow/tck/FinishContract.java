package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobFinish;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What each attempt outcome does to a job: state, attempt, errors, due time, result, history,
 * events.
 */
public interface FinishContract extends TckSupport {

  /** A running job on attempt 1, with the clock moved on so "now" differs from the claim time. */
  private Job runningThenLater() {
    Job claimed = running(job());
    clock().advance(Duration.ofSeconds(5));
    return claimed;
  }

  private void assertLastHistory(Job job, JobState state, Instant at) {
    HistoryEntry last = job.history().get(job.history().size() - 1);
    assertThat(last.state()).isEqualTo(state);
    assertThat(last.at()).isEqualTo(at);
  }

  private JobEvent assertLastEvent(Job job, String type, Instant at) {
    JobEvent e = lastEvent(job.id());
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.time()).isEqualTo(at);
    assertThat(e.jobId()).isEqualTo(job.id());
    assertThat(e.jobType()).isEqualTo(job.type());
    assertThat(e.queue()).isEqualTo(job.queue());
    return e;
  }

  private void assertLeaseCleared(Job job) {
    assertThat(job.leaseOwner()).isNull();
    assertThat(job.leaseExpiresAt()).isNull();
  }

  @Test
  default void completed_stores_the_result_and_appends_job_completed() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();

    assertThat(finish(new JobFinish.Completed(lease(claimed), "{\"answer\":42}")))
        .containsExactly(claimed.id());

    Job done = get(claimed.id());
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(json(done.resultJson())).isEqualTo(json("{\"answer\":42}"));
    assertThat(done.finishedAt()).isEqualTo(now);
    assertThat(done.errors()).isEmpty();
    assertLeaseCleared(done);
    assertLastHistory(done, JobState.COMPLETED, now);
    JobEvent e = assertLastEvent(done, JobEvent.COMPLETED, now);
    assertThat(json(e.dataJson()).path("result").path("answer").asInt()).isEqualTo(42);
  }

  @Test
  default void retry_records_the_error_and_schedules_the_next_attempt_from_store_now() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();
    JobError err = error(1, "connection reset");

    assertThat(finish(new JobFinish.Retry(lease(claimed), err, Duration.ofMinutes(2))))
        .containsExactly(claimed.id());

    Job retrying = get(claimed.id());
    assertThat(retrying.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(retrying.attempt()).isEqualTo(1);
    assertThat(retrying.scheduledAt()).isEqualTo(now.plus(Duration.ofMinutes(2)));
    assertThat(retrying.errors()).containsExactly(err);
    assertThat(retrying.finishedAt()).isNull();
    assertLeaseCleared(retrying);
    assertLastHistory(retrying, JobState.SCHEDULED, now);
    JobEvent e = assertLastEvent(retrying, JobEvent.RETRYING, now);
    JsonNode data = json(e.dataJson());
    assertThat(data.path("attempt").asInt()).isEqualTo(1);
    assertThat(data.path("error").path("message").asString()).isEqualTo("connection reset");
    assertThat(Instant.parse(data.path("retryAt").asString()))
        .isEqualTo(now.plus(Duration.ofMinutes(2)));

    // the next attempt comes after the delay, via the promoter
    clock().advance(Duration.ofMinutes(2));
    assertThat(promote()).isEqualTo(1);
    Job second = claimOne(SERVER_A);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.errors()).containsExactly(err);
  }

  @Test
  default void failed_records_the_error_and_ends_the_job() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();
    JobError err = error(1, "bad input");

    assertThat(finish(new JobFinish.Failed(lease(claimed), err))).containsExactly(claimed.id());

    Job failed = get(claimed.id());
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.errors()).containsExactly(err);
    assertThat(failed.finishedAt()).isEqualTo(now);
    assertLeaseCleared(failed);
    assertLastHistory(failed, JobState.FAILED, now);
    JobEvent e = assertLastEvent(failed, JobEvent.FAILED, now);
    assertThat(json(e.dataJson()).path("error").path("type").asString()).isEqualTo(err.type());
  }

  @Test
  default void snoozed_gives_the_attempt_back_and_schedules_it_from_store_now() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();

    assertThat(finish(new JobFinish.Snoozed(lease(claimed), Duration.ofSeconds(30))))
        .containsExactly(claimed.id());

    Job snoozed = get(claimed.id());
    assertThat(snoozed.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(snoozed.attempt()).isZero();
    assertThat(snoozed.scheduledAt()).isEqualTo(now.plusSeconds(30));
    assertThat(snoozed.errors()).isEmpty();
    assertThat(snoozed.finishedAt()).isNull();
    assertLeaseCleared(snoozed);
    assertLastHistory(snoozed, JobState.SCHEDULED, now);
    assertLastEvent(snoozed, JobEvent.SCHEDULED, now);

    clock().advance(Duration.ofSeconds(30));
    assertThat(promote()).isEqualTo(1);
    assertThat(claimOne(SERVER_A).attempt()).isEqualTo(1);
  }

  @Test
  default void cancelled_by_the_handler_ends_the_job() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();

    assertThat(finish(new JobFinish.Cancelled(lease(claimed), "not needed")))
        .containsExactly(claimed.id());

    Job cancelled = get(claimed.id());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.attempt()).isEqualTo(1);
    assertThat(cancelled.finishedAt()).isEqualTo(now);
    assertLeaseCleared(cancelled);
    assertLastHistory(cancelled, JobState.CANCELLED, now);
    JobEvent e = assertLastEvent(cancelled, JobEvent.CANCELLED, now);
    assertThat(json(e.dataJson()).path("reason").asString()).isEqualTo("not needed");
  }

  @Test
  default void released_goes_back_to_enqueued_with_the_attempt_given_back() {
    Job claimed = runningThenLater();
    Instant now = clock().instant();

    assertThat(finish(new JobFinish.Released(lease(claimed), "shutdown")))
        .containsExactly(claimed.id());

    Job released = get(claimed.id());
    assertThat(released.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(released.attempt()).isZero();
    assertThat(released.errors()).isEmpty();
    assertThat(released.finishedAt()).isNull();
    assertLeaseCleared(released);
    assertLastHistory(released, JobState.ENQUEUED, now);
    assertLastEvent(released, JobEvent.ENQUEUED, now);
    assertThat(claimOne(SERVER_B).attempt()).isEqualTo(1);
  }

  @Test
  default void one_batch_records_different_outcomes_for_different_jobs() {
    Job a = running(job());
    Job b = running(job());
    Job c = running(job());

    assertThat(
            finish(
                new JobFinish.Completed(lease(a), "1"),
                new JobFinish.Failed(lease(b), error(1, "x")),
                new JobFinish.Released(lease(c), "shutdown")))
        .containsExactlyInAnyOrder(a.id(), b.id(), c.id());

    assertThat(get(a.id()).state()).isEqualTo(JobState.COMPLETED);
    assertThat(get(b.id()).state()).isEqualTo(JobState.FAILED);
    assertThat(get(c.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(counts()).isEqualTo(countsByScan());
  }

  @Test
  default void the_history_of_a_retried_job_lists_every_state_it_entered() {
    Job claimed = running(job());
    finish(new JobFinish.Retry(lease(claimed), error(1, "x"), Duration.ZERO));
    promote();
    Job again = claimOne(SERVER_A);
    finish(new JobFinish.Completed(lease(again), null));

    Job done = get(claimed.id());
    assertThat(done.history())
        .extracting(HistoryEntry::state)
        .containsExactly(
            JobState.ENQUEUED,
            JobState.PROCESSING,
            JobState.SCHEDULED,
            JobState.ENQUEUED,
            JobState.PROCESSING,
            JobState.COMPLETED);
    assertThat(done.resultJson()).isNull();
    assertThat(eventTypes(done.id()))
        .containsExactly(
            JobEvent.ENQUEUED,
            JobEvent.STARTED,
            JobEvent.RETRYING,
            JobEvent.ENQUEUED,
            JobEvent.STARTED,
            JobEvent.COMPLETED);
  }
}
