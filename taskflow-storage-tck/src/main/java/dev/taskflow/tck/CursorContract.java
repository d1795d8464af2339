package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.spi.CursorAdvanceParams;
import dev.taskflow.spi.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Durable cursors over the event log: a new cursor starts at the end of the log, and an advance is
 * a compare-and-set that inserts its jobs in the same transaction, so of two advancers from one
 * position exactly one writes anything.
 */
public interface CursorContract extends TckSupport {

  private boolean advance(String name, long from, long to, JobSpec... jobs) {
    List<NewJob> news = new ArrayList<>();
    for (JobSpec j : jobs) news.add(j.toNewJob());
    return cursorStore().advance(new CursorAdvanceParams(name, from, to, news, SERVER_A));
  }

  @Test
  default void a_new_cursor_starts_at_the_end_of_the_log_and_keeps_its_position() {
    insertN(3, j -> j);
    long end = store().eventLatestSeq();
    assertThat(end).isEqualTo(3);

    assertThat(cursorStore().get("webhooks")).isEqualTo(end);
    insertN(2, j -> j);

    assertThat(cursorStore().get("webhooks"))
        .as("created once, not moved by new events")
        .isEqualTo(end);
    assertThat(cursorStore().get("other")).as("another name starts at the new end").isEqualTo(5);
  }

  @Test
  default void a_cursor_on_an_empty_log_starts_at_zero() {
    assertThat(cursorStore().get("webhooks")).isZero();
  }

  @Test
  default void an_advance_moves_the_cursor_and_inserts_its_jobs_with_their_events() {
    long at = cursorStore().get("webhooks");
    insertN(2, j -> j);
    long last = store().eventLatestSeq();
    JobSpec a = job().type("tck.delivery").uniqueKey("webhook:w1:1");
    JobSpec b = job().type("tck.delivery");

    assertThat(advance("webhooks", at, last, a, b)).isTrue();

    assertThat(cursorStore().get("webhooks")).isEqualTo(last);
    assertThat(get(a.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(get(b.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(eventTypes(a.id())).containsExactly(JobEvent.ENQUEUED);
    assertThat(events(b.id()).getFirst().seq()).isGreaterThan(last);
    assertThat(counts().get(JobState.ENQUEUED)).isEqualTo(4);
  }

  @Test
  default void an_advance_without_jobs_only_moves_the_cursor() {
    long at = cursorStore().get("webhooks");
    insertN(1, j -> j);
    long seq = store().eventLatestSeq();

    assertThat(advance("webhooks", at, seq)).isTrue();

    assertThat(cursorStore().get("webhooks")).isEqualTo(seq);
    assertThat(store().eventLatestSeq()).isEqualTo(seq);
  }

  @Test
  default void an_advance_keeps_unique_keys_a_live_job_holds() {
    long at = cursorStore().get("webhooks");
    Job live = insert(job().uniqueKey("webhook:w1:7"));
    long seq = store().eventLatestSeq();
    JobSpec dup = job().uniqueKey("webhook:w1:7");

    assertThat(advance("webhooks", at, seq, dup)).isTrue();

    assertThat(store().jobGet(dup.id())).isEmpty();
    assertThat(allJobs()).extracting(Job::id).containsExactly(live.id());
    assertThat(cursorStore().get("webhooks")).isEqualTo(seq);
  }

  @Test
  default void a_stale_expected_position_changes_nothing() {
    long at = cursorStore().get("webhooks");
    insertN(2, j -> j);
    assertThat(advance("webhooks", at, at + 1)).isTrue();
    long seq = store().eventLatestSeq();
    JobSpec late = job().type("tck.delivery");

    assertThat(advance("webhooks", at, at + 2, late)).isFalse();

    assertThat(cursorStore().get("webhooks")).isEqualTo(at + 1);
    assertThat(store().jobGet(late.id())).as("no job inserted").isEmpty();
    assertThat(store().eventLatestSeq()).as("no event appended").isEqualTo(seq);
    assertThat(allJobs()).hasSize(2);
  }

  @Test
  default void advancing_a_cursor_that_was_never_created_changes_nothing() {
    JobSpec j = job();

    assertThat(advance("never-read", 0, 0, j)).isFalse();

    assertThat(store().jobGet(j.id())).isEmpty();
  }

  @Test
  default void a_failed_insert_leaves_the_cursor_where_it_was() {
    long at = cursorStore().get("webhooks");
    Job existing = insert(job());
    JobSpec clash = new JobSpec(existing.id()); // an id that exists: the batch is refused

    assertThatThrownBy(() -> advance("webhooks", at, at + 1, job(), clash))
        .isInstanceOf(StorageException.class);

    assertThat(cursorStore().get("webhooks")).isEqualTo(at);
    assertThat(allJobs()).extracting(Job::id).containsExactly(existing.id());
  }

  @Test
  default void a_cursor_moves_only_forward() {
    assertThatThrownBy(() -> new CursorAdvanceParams("webhooks", 5, 4, List.of(), SERVER_A))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'webhooks'")
        .hasMessageContaining("from 5 to 4");
  }

  @Test
  default void of_two_concurrent_advancers_from_one_position_exactly_one_wins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        long at = cursorStore().get("webhooks");
        insertN(2, j -> j);
        long last = store().eventLatestSeq();
        List<JobSpec> theirJobs = List.of(job().type("tck.delivery"), job().type("tck.delivery"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (JobSpec spec : theirJobs) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return advance("webhooks", at, last, spec);
                  }));
        }
        start.countDown();
        List<Boolean> won = new ArrayList<>();
        for (Future<Boolean> f : futures) won.add(f.get(1, TimeUnit.MINUTES));

        assertThat(won).as("round %d", round).containsExactlyInAnyOrder(true, false);
        JobSpec winner = theirJobs.get(won.indexOf(true));
        JobSpec loser = theirJobs.get(won.indexOf(false));
        assertThat(store().jobGet(winner.id())).isPresent();
        assertThat(store().jobGet(loser.id())).as("the loser inserted nothing").isEmpty();
        assertThat(cursorStore().get("webhooks")).isEqualTo(last);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(allJobs()).hasSize(10 * 3);
  }
}
