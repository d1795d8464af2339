package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Queue pause/resume, queue statistics, and the per-state counters. */
public interface QueueAndCounterContract extends TckSupport {

  private Optional<QueueStats> stats(String queue) {
    return store().queueStats().stream().filter(q -> q.queue().equals(queue)).findFirst();
  }

  @Test
  default void an_empty_store_has_no_queues_and_zero_counts() {
    assertThat(store().queueStats()).isEmpty();
    assertThat(counts().values()).allSatisfy(n -> assertThat(n).isZero());
    assertThat(store().eventLatestSeq()).isZero();
  }

  @Test
  default void queue_stats_count_each_state_and_show_the_oldest_ready_job() {
    Instant now = clock().instant();
    insert(job().queue("q1").runAt(now.minus(Duration.ofMinutes(1))));
    insert(job().queue("q1").priority(50).runAt(now.minus(Duration.ofMinutes(5))));
    insert(job().queue("q1").delay(Duration.ofMinutes(1)));
    Job done = insert(job().queue("q1").priority(90));
    Job run = insert(job().queue("q1").priority(80));
    List<Job> claimed = claim("q1", 2);
    assertThat(claimed).extracting(Job::id).containsExactlyInAnyOrder(done.id(), run.id());
    Job toFinish = claimed.get(0).id().equals(done.id()) ? claimed.get(0) : claimed.get(1);
    finish(new JobFinish.Completed(lease(toFinish), null));
    insert(job().queue("q2"));
    insert(job().queue("q3").delay(Duration.ofMinutes(1)));

    QueueStats q1 = stats("q1").orElseThrow();
    Map<JobState, Long> c1 = normalized(q1.counts());
    assertThat(c1.get(JobState.ENQUEUED)).isEqualTo(2);
    assertThat(c1.get(JobState.SCHEDULED)).isEqualTo(1);
    assertThat(c1.get(JobState.PROCESSING)).isEqualTo(1);
    assertThat(c1.get(JobState.COMPLETED)).isEqualTo(1);
    assertThat(c1.get(JobState.FAILED)).isZero();
    assertThat(q1.oldestEnqueuedAt()).isEqualTo(now.minus(Duration.ofMinutes(5)));
    assertThat(q1.paused()).isFalse();

    QueueStats q2 = stats("q2").orElseThrow();
    assertThat(normalized(q2.counts()).get(JobState.ENQUEUED)).isEqualTo(1);
    assertThat(q2.oldestEnqueuedAt()).isEqualTo(now);
    QueueStats q3 = stats("q3").orElseThrow();
    assertThat(q3.oldestEnqueuedAt()).as("no ready job in q3").isNull();
    assertThat(store().queueStats()).extracting(QueueStats::queue).containsOnly("q1", "q2", "q3");
  }

  @Test
  default void pausing_shows_in_queue_stats_even_for_a_queue_without_jobs() {
    insert(job().queue("busy"));

    store().queuePause("busy");
    store().queuePause("idle");

    assertThat(stats("busy").orElseThrow().paused()).isTrue();
    assertThat(stats("idle").orElseThrow().paused()).isTrue();
    assertThat(normalized(stats("idle").orElseThrow().counts()).values())
        .allSatisfy(n -> assertThat(n).isZero());

    store().queueResume("busy");
    store().queueResume("idle");
    assertThat(stats("busy").orElseThrow().paused()).isFalse();
    assertThat(stats("idle")).isEmpty();
  }

  @Test
  default void pausing_twice_and_resuming_an_unpaused_queue_are_harmless() {
    store().queuePause("q");
    store().queuePause("q");
    store().queueResume("other");
    store().queueResume("q");
    insert(job().queue("q"));

    assertThat(claim("q", 1)).hasSize(1);
  }

  @Test
  default void counters_match_the_jobs_after_a_mixed_sequence_of_operations() {
    List<Job> jobs = insertN(12, s -> s);
    insertN(3, s -> s.delay(Duration.ofSeconds(5)));
    insert(job().queue("side").maxAttempts(1));
    assertThat(counts()).isEqualTo(countsByScan());

    List<Job> claimed = claim(QUEUE, 8);
    finish(new JobFinish.Completed(lease(claimed.get(0)), "1"));
    finish(new JobFinish.Failed(lease(claimed.get(1)), error(1, "x")));
    finish(new JobFinish.Retry(lease(claimed.get(2)), error(1, "y"), Duration.ofSeconds(1)));
    finish(new JobFinish.Snoozed(lease(claimed.get(3)), Duration.ofSeconds(1)));
    finish(new JobFinish.Cancelled(lease(claimed.get(4)), "no"));
    finish(new JobFinish.Released(lease(claimed.get(5)), "bye"));
    assertThat(counts()).isEqualTo(countsByScan());

    clock().advance(Duration.ofSeconds(5));
    promote();
    claim("side", 1);
    clock().advance(LEASE.plusSeconds(1));
    rescue(); // claimed 6 and 7 go back, the side job fails
    assertThat(counts()).isEqualTo(countsByScan());

    change(claimed.get(1).id(), Action.RETRY);
    change(jobs.get(11).id(), Action.CANCEL);
    change(jobs.get(10).id(), Action.DELETE);
    change(claimed.get(0).id(), Action.DELETE);
    assertThat(counts()).isEqualTo(countsByScan());

    store()
        .jobRetentionDelete(
            new JobRetentionParams(null, null, null, clock().instant().plusSeconds(1), 100));
    assertThat(counts()).isEqualTo(countsByScan());
    Map<JobState, Long> total = new EnumMap<>(JobState.class);
    for (QueueStats q : store().queueStats()) {
      normalized(q.counts()).forEach((s, n) -> total.merge(s, n, Long::sum));
    }
    assertThat(normalized(total)).isEqualTo(countsByScan());
  }
}
