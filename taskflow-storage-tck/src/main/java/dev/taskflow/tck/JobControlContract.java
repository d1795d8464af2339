package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.QueueFullException;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobExpireParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Job controls: queue depth bounds (backpressure), retry priority, unique keys held for a period,
 * and start deadlines.
 */
public interface JobControlContract extends TckSupport {

  private QueueStats stats(String queue) {
    return store().queueStats().stream()
        .filter(s -> s.queue().equals(queue))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats for queue " + queue));
  }

  private int expire() {
    return store().jobExpireDue(new JobExpireParams(SERVER_B, 1000));
  }

  // ------------------------------------------------------------------ backpressure

  @Test
  default void a_batch_that_would_pass_a_queue_max_depth_is_refused_whole() {
    store().queueSetMaxDepth("bounded", 3);
    insert(job().queue("bounded"));
    insert(job().queue("bounded").delay(Duration.ofMinutes(5))); // scheduled counts too
    Map<JobState, Long> before = counts();
    long eventsBefore = store().eventLatestSeq();

    assertThatThrownBy(
            () -> insertMany(job().queue("other"), job().queue("bounded"), job().queue("bounded")))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.queue()).isEqualTo("bounded");
              assertThat(e.depth()).isEqualTo(2);
              assertThat(e.maxDepth()).isEqualTo(3);
              assertThat(e.adding()).isEqualTo(2);
              assertThat(e.retryAfter()).isPositive();
            });

    assertThat(counts()).as("nothing of the batch was written").isEqualTo(before);
    assertThat(store().eventLatestSeq()).isEqualTo(eventsBefore);
    assertThat(insertMany(job().queue("bounded"))).hasSize(1); // exactly up to the bound
    assertThat(stats("bounded").depth()).isEqualTo(3);
  }

  @Test
  default void running_and_finished_jobs_do_not_count_against_the_max_depth() {
    store().queueSetMaxDepth(QUEUE, 1);
    Job first = running(job());
    finish(new JobFinish.Completed(lease(first), null));
    insert(job()); // the completed one is not waiting
    Job claimed = claimOne(SERVER_A);

    insert(job()); // the processing one is not waiting either

    assertThat(claimed.state()).isEqualTo(JobState.PROCESSING);
    assertThatThrownBy(() -> insert(job())).isInstanceOf(QueueFullException.class);
  }

  @Test
  default void duplicates_do_not_count_against_the_max_depth() {
    store().queueSetMaxDepth(QUEUE, 1);
    Job held = insert(job().uniqueKey("k"));

    List<InsertOutcome> again = insertMany(job().uniqueKey("k"));

    assertThat(again.get(0).duplicate()).isTrue();
    assertThat(again.get(0).job().id()).isEqualTo(held.id());
  }

  @Test
  default void a_max_depth_shows_in_the_queue_stats_and_can_be_raised_or_cleared() {
    store().queueSetMaxDepth("empty", 7);
    assertThat(stats("empty").maxDepth()).isEqualTo(7);
    assertThat(stats("empty").depth()).isZero();

    store().queueSetMaxDepth(QUEUE, 0);
    assertThatThrownBy(() -> insert(job())).isInstanceOf(QueueFullException.class);
    store().queueSetMaxDepth(QUEUE, 1);
    insert(job());
    store().queueSetMaxDepth(QUEUE, null);
    insertN(3, s -> s);

    assertThat(stats(QUEUE).maxDepth()).isNull();
    assertThat(stats(QUEUE).depth()).isEqualTo(4);
  }

  @Test
  default void retries_and_promotions_are_never_refused_by_the_max_depth() {
    Job running = running(job().delay(Duration.ZERO));
    insert(job().delay(Duration.ofSeconds(1)));
    store().queueSetMaxDepth(QUEUE, 1);

    Instant now = clock().instant();
    assertThat(finish(new JobFinish.Retry(lease(running), error(1, "boom"), Duration.ZERO)))
        .containsExactly(running.id());
    clock().set(now.plusSeconds(2));
    assertThat(promote()).isEqualTo(2);

    assertThat(stats(QUEUE).depth()).isEqualTo(2);
  }

  @Test
  default void a_manual_retry_into_a_full_queue_is_refused_and_changes_nothing() {
    Job cancelled = insert(job());
    change(cancelled.id(), JobChangeStateParams.Action.CANCEL);
    insert(job());
    store().queueSetMaxDepth(QUEUE, 1);
    Map<JobState, Long> before = counts();
    long eventsBefore = store().eventLatestSeq();

    assertThatThrownBy(() -> change(cancelled.id(), JobChangeStateParams.Action.RETRY))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.queue()).isEqualTo(QUEUE);
              assertThat(e.depth()).isEqualTo(1);
              assertThat(e.maxDepth()).isEqualTo(1);
              assertThat(e.adding()).isEqualTo(1);
              assertThat(e.retryAfter()).isPositive();
            });

    assertThat(get(cancelled.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(counts()).isEqualTo(before);
    assertThat(store().eventLatestSeq()).isEqualTo(eventsBefore);
    store().queueSetMaxDepth(QUEUE, 2);
    assertThat(change(cancelled.id(), JobChangeStateParams.Action.RETRY).state())
        .isEqualTo(JobState.ENQUEUED);
    assertThat(stats(QUEUE).depth()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ retry priority

  @Test
  default void a_retry_that_names_a_priority_moves_the_job_to_it() {
    Job lowered = running(job().priority(10));
    finish(new JobFinish.Retry(lease(lowered), error(1, "boom"), Duration.ZERO, -20));
    Job kept = running(job().priority(10));
    finish(new JobFinish.Retry(lease(kept), error(1, "boom"), Duration.ZERO));
    promote();
    Job fresh = insert(job());

    assertThat(get(lowered.id()).priority()).isEqualTo(-20);
    assertThat(get(kept.id()).priority()).isEqualTo(10);
    assertThat(claimOneOf(3))
        .extracting(Job::id)
        .containsExactly(kept.id(), fresh.id(), lowered.id());
  }

  @Test
  default void a_manual_retry_that_names_a_priority_moves_the_job_to_it() {
    Job raised = insert(job().priority(-10));
    change(raised.id(), JobChangeStateParams.Action.CANCEL);
    Job kept = insert(job().priority(-10));
    change(kept.id(), JobChangeStateParams.Action.CANCEL);
    Job fresh = insert(job());

    Job retried =
        store()
            .jobChangeState(
                new JobChangeStateParams(
                    raised.id(), JobChangeStateParams.Action.RETRY, null, SERVER_A, 50));
    change(kept.id(), JobChangeStateParams.Action.RETRY);

    assertThat(retried.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(retried.priority()).isEqualTo(50);
    assertThat(get(kept.id()).priority()).isEqualTo(-10);
    assertThat(claimOneOf(3))
        .extracting(Job::id)
        .containsExactly(raised.id(), fresh.id(), kept.id());
  }

  private List<Job> claimOneOf(int n) {
    List<Job> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) out.add(claim(QUEUE, 1).get(0));
    return out;
  }

  // ------------------------------------------------------------------ unique for a period

  @Test
  default void a_key_held_for_a_period_blocks_duplicates_after_its_job_finished() {
    Job first = running(job().uniqueKey("daily-report").uniqueFor(Duration.ofHours(1)));
    finish(new JobFinish.Completed(lease(first), null));
    clock().advance(Duration.ofMinutes(59));

    InsertOutcome again = insertMany(job().uniqueKey("daily-report")).get(0);

    assertThat(again.duplicate()).isTrue();
    assertThat(again.job().id()).isEqualTo(first.id());
    assertThat(again.job().state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  default void a_key_held_for_a_period_is_free_once_the_period_is_over() {
    Job first = insert(job().uniqueKey("k").uniqueFor(Duration.ofMinutes(10)));
    change(first.id(), dev.taskflow.spi.JobChangeStateParams.Action.CANCEL);
    clock().advance(Duration.ofMinutes(10));

    InsertOutcome again = insertMany(job().uniqueKey("k")).get(0);

    assertThat(again.duplicate()).isFalse();
    assertThat(again.job().id()).isNotEqualTo(first.id());
  }

  @Test
  default void a_key_without_a_period_is_free_as_soon_as_its_job_finished() {
    Job first = running(job().uniqueKey("k"));
    finish(new JobFinish.Completed(lease(first), null));

    assertThat(insertMany(job().uniqueKey("k")).get(0).duplicate()).isFalse();
  }

  @Test
  default void a_key_held_for_a_period_is_stored_as_insert_time_plus_the_period() {
    Job j = insert(job().uniqueKey("k").uniqueFor(Duration.ofMinutes(30)));

    assertThat(get(j.id()).flow().uniqueUntil())
        .isEqualTo(clock().instant().plus(Duration.ofMinutes(30)));
  }

  // ------------------------------------------------------------------ start deadline

  @Test
  default void a_claim_never_starts_a_job_past_its_start_deadline() {
    Job late = insert(job().priority(10).startWithin(Duration.ofSeconds(30)));
    Job other = insert(job());
    clock().advance(Duration.ofSeconds(30));

    assertThat(claim(QUEUE, 10)).extracting(Job::id).containsExactly(other.id());
    assertThat(get(late.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void the_sweep_cancels_waiting_jobs_past_their_start_deadline_as_expired() {
    Job enqueued = insert(job().startWithin(Duration.ofSeconds(10)));
    Job scheduled = insert(job().delay(Duration.ofMinutes(1)).startWithin(Duration.ofSeconds(10)));
    Job later = insert(job().startWithin(Duration.ofMinutes(5)));
    Job none = insert(job());
    clock().advance(Duration.ofSeconds(10));

    assertThat(expire()).isEqualTo(2);
    assertThat(expire()).as("each job is cancelled once").isZero();

    for (Job j : List.of(enqueued, scheduled)) {
      Job now = get(j.id());
      assertThat(now.state()).isEqualTo(JobState.CANCELLED);
      assertThat(now.finishedAt()).isEqualTo(clock().instant());
      HistoryEntry last = now.history().get(now.history().size() - 1);
      assertThat(last.state()).isEqualTo(JobState.CANCELLED);
      assertThat(last.reason()).isEqualTo("expired");
      assertThat(last.server()).isEqualTo(SERVER_B);
      JobEvent e = lastEvent(j.id());
      assertThat(e.type()).isEqualTo(JobEvent.CANCELLED);
      assertThat(json(e.dataJson()).path("reason").asString()).isEqualTo("expired");
    }
    assertThat(get(later.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(get(none.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(counts().get(JobState.CANCELLED)).isEqualTo(2);
    assertThat(counts()).isEqualTo(normalized(countsByScan()));
  }

  @Test
  default void a_job_that_started_before_its_deadline_is_never_expired() {
    Job started = running(job().startWithin(Duration.ofSeconds(10)));
    finish(new JobFinish.Retry(lease(started), error(1, "boom"), Duration.ofMinutes(1)));
    clock().advance(Duration.ofMinutes(2));

    assertThat(expire()).isZero();
    assertThat(promote()).isEqualTo(1);
    assertThat(claim(QUEUE, 1)).extracting(Job::id).containsExactly(started.id());
  }

  @Test
  default void an_absolute_start_deadline_is_stored_and_kept() {
    Instant by = clock().instant().plusSeconds(90);
    Job j = insert(job().flow(new dev.taskflow.JobFlow(List.of(), null, null, null, null, by)));

    assertThat(get(j.id()).flow().startBy()).isEqualTo(by);
    clock().advance(Duration.ofSeconds(89));
    assertThat(expire()).isZero();
    clock().advance(Duration.ofSeconds(1));
    assertThat(expire()).isEqualTo(1);
  }
}
