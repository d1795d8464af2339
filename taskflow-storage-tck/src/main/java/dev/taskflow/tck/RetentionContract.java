package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobRetentionParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention: hard-deletes finished jobs older than their state's cutoff, with their events. */
public interface RetentionContract extends TckSupport {

  private UUID completed() {
    Job j = running(job());
    finish(new JobFinish.Completed(lease(j), "{}"));
    return j.id();
  }

  private UUID failed() {
    Job j = running(job());
    finish(new JobFinish.Failed(lease(j), error(1, "x")));
    return j.id();
  }

  private UUID cancelled() {
    UUID id = insert(job()).id();
    change(id, Action.CANCEL);
    return id;
  }

  private UUID deleted() {
    UUID id = insert(job()).id();
    change(id, Action.DELETE);
    return id;
  }

  @Test
  default void retention_deletes_only_finished_jobs_older_than_their_cutoff_with_their_events() {
    Instant old = clock().instant();
    UUID oldCompleted = completed();
    UUID oldFailed = failed();
    UUID oldCancelled = cancelled();
    UUID oldDeleted = deleted();
    UUID waiting = insert(job().queue("other")).id();
    UUID running = running(job()).id();
    clock().advance(Duration.ofDays(2));
    UUID newCompleted = completed();
    UUID newFailed = failed();
    Instant cutoff = old.plus(Duration.ofDays(1));

    int removed =
        store().jobRetentionDelete(new JobRetentionParams(cutoff, cutoff, cutoff, cutoff, 100));

    assertThat(removed).isEqualTo(4);
    for (UUID gone : List.of(oldCompleted, oldFailed, oldCancelled, oldDeleted)) {
      assertThat(store().jobGet(gone)).as("job %s", gone).isEmpty();
      assertThat(events(gone)).as("events of %s", gone).isEmpty();
    }
    for (UUID kept : List.of(waiting, running, newCompleted, newFailed)) {
      assertThat(store().jobGet(kept)).as("job %s", kept).isPresent();
      assertThat(events(kept)).as("events of %s", kept).isNotEmpty();
    }
    assertThat(counts()).isEqualTo(countsByScan());
    assertThat(counts().get(JobState.COMPLETED)).isEqualTo(1);
    assertThat(counts().get(JobState.DELETED)).isZero();
    // the log holds only the survivors' events, still in order
    assertThat(store().eventsSince(new EventsSinceParams(0, null, 1000)))
        .allSatisfy(e -> assertThat(e.jobId()).isIn(waiting, running, newCompleted, newFailed))
        .isSortedAccordingTo((a, b) -> Long.compare(a.seq(), b.seq()));
  }

  @Test
  default void each_state_has_its_own_cutoff_and_a_null_cutoff_keeps_that_state() {
    UUID c = completed();
    UUID f = failed();
    UUID x = cancelled();
    UUID d = deleted();
    Instant later = clock().advance(Duration.ofDays(10));

    assertThat(
            store()
                .jobRetentionDelete(
                    new JobRetentionParams(
                        later, null, later.minus(Duration.ofDays(20)), null, 10)))
        .isEqualTo(1);

    assertThat(store().jobGet(c)).isEmpty();
    assertThat(store().jobGet(f)).isPresent();
    assertThat(store().jobGet(x)).isPresent();
    assertThat(store().jobGet(d)).isPresent();
  }

  @Test
  default void a_job_that_finished_exactly_at_the_cutoff_is_kept() {
    Instant finishedAt = clock().instant();
    UUID c = completed();

    assertThat(store().jobRetentionDelete(new JobRetentionParams(finishedAt, null, null, null, 10)))
        .isZero();
    assertThat(store().jobGet(c)).isPresent();
  }

  @Test
  default void retention_works_in_bounded_batches() {
    for (int i = 0; i < 25; i++) completed();
    Instant cutoff = clock().advance(Duration.ofDays(1));
    JobRetentionParams p = new JobRetentionParams(cutoff, cutoff, cutoff, cutoff, 10);

    assertThat(store().jobRetentionDelete(p)).isEqualTo(10);
    assertThat(counts().get(JobState.COMPLETED)).isEqualTo(15);
    assertThat(store().jobRetentionDelete(p)).isEqualTo(10);
    assertThat(store().jobRetentionDelete(p)).isEqualTo(5);
    assertThat(store().jobRetentionDelete(p)).isZero();
    assertThat(counts()).isEqualTo(countsByScan());
    assertThat(allJobs()).isEmpty();
    assertThat(store().queueStats()).isEmpty();
  }
}
