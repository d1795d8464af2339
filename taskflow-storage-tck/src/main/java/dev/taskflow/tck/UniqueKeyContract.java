package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Unique keys (at most one live job per key) and the atomicity of batch inserts. */
public interface UniqueKeyContract extends TckSupport {

  @Test
  default void fifty_concurrent_inserts_with_one_key_store_exactly_one_job() throws Exception {
    int n = 50;
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) specs.add(job().uniqueKey("report-2026-01"));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<InsertOutcome> outcomes = new ArrayList<>();
    try {
      List<Future<InsertOutcome>> futures = new ArrayList<>();
      for (JobSpec spec : specs) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return store()
                      .jobInsertMany(new JobInsertManyParams(List.of(spec.toNewJob()), null))
                      .get(0);
                }));
      }
      start.countDown();
      for (Future<InsertOutcome> f : futures) outcomes.add(f.get(1, TimeUnit.MINUTES));
    } finally {
      pool.shutdownNow();
    }

    List<InsertOutcome> inserted = outcomes.stream().filter(o -> !o.duplicate()).toList();
    assertThat(inserted).hasSize(1);
    Job live = inserted.get(0).job();
    assertThat(outcomes.stream().filter(InsertOutcome::duplicate).map(o -> o.job().id()))
        .hasSize(n - 1)
        .allSatisfy(id -> assertThat(id).isEqualTo(live.id()));
    assertThat(allJobs()).extracting(Job::id).containsExactly(live.id());
    assertThat(counts().get(JobState.ENQUEUED)).isEqualTo(1);
    assertThat(store().eventLatestSeq()).isEqualTo(1);
  }

  @Test
  default void a_duplicate_names_the_live_job_and_stores_nothing() {
    Job live = insert(job().uniqueKey("k").args("{\"n\":1}"));
    long seq = store().eventLatestSeq();

    InsertOutcome dup = insertMany(job().uniqueKey("k").args("{\"n\":2}")).get(0);

    assertThat(dup.duplicate()).isTrue();
    assertThat(dup.job()).isEqualTo(get(live.id()));
    assertThat(allJobs()).hasSize(1);
    assertThat(store().eventLatestSeq()).isEqualTo(seq);
  }

  @Test
  default void scheduled_and_running_jobs_hold_their_key() {
    Job scheduled = insert(job().uniqueKey("s").delay(Duration.ofHours(1)));
    Job running = running(job().uniqueKey("r"));

    assertThat(insertMany(job().uniqueKey("s")).get(0).job().id()).isEqualTo(scheduled.id());
    assertThat(insertMany(job().uniqueKey("r")).get(0).job().id()).isEqualTo(running.id());
  }

  @Test
  default void a_key_is_free_again_once_its_job_finishes() {
    Job completed = running(job().uniqueKey("done"));
    finish(new JobFinish.Completed(lease(completed), null));
    Job failed = running(job().uniqueKey("failed"));
    finish(new JobFinish.Failed(lease(failed), error(1, "x")));
    Job cancelled = insert(job().uniqueKey("cancelled"));
    change(cancelled.id(), Action.CANCEL);
    Job deleted = insert(job().uniqueKey("deleted"));
    change(deleted.id(), Action.DELETE);

    for (String key : List.of("done", "failed", "cancelled", "deleted")) {
      InsertOutcome again = insertMany(job().uniqueKey(key)).get(0);
      assertThat(again.duplicate()).as("key %s", key).isFalse();
      assertThat(again.job().state()).isEqualTo(JobState.ENQUEUED);
    }
  }

  @Test
  default void a_batch_with_a_repeated_key_stores_the_first_and_names_it_for_the_rest() {
    JobSpec first = job().uniqueKey("k");
    List<InsertOutcome> outcomes = insertMany(first, job(), job().uniqueKey("k"));

    assertThat(outcomes).extracting(InsertOutcome::duplicate).containsExactly(false, false, true);
    assertThat(outcomes.get(0).job().id()).isEqualTo(first.id());
    assertThat(outcomes.get(2).job().id()).isEqualTo(first.id());
    assertThat(allJobs()).hasSize(2);
  }

  // A batch that cannot be stored in full (here: an id that already exists) stores nothing: no
  // job, no event, no counter change, and no unique key taken.
  @Test
  default void insert_many_is_atomic() {
    Job existing = insert(job());
    long seq = store().eventLatestSeq();
    JobSpec a = job().uniqueKey("atomic");
    JobSpec b = job();
    NewJob clash =
        new NewJob(
            existing.id(), "t.x", QUEUE, 0, "{}", 3, null, null, null, null, null, List.of());

    assertThatThrownBy(
            () ->
                store()
                    .jobInsertMany(
                        new JobInsertManyParams(List.of(a.toNewJob(), b.toNewJob(), clash), null)))
        .isInstanceOf(StorageException.class);

    assertThat(allJobs()).extracting(Job::id).containsExactly(existing.id());
    assertThat(store().eventLatestSeq()).isEqualTo(seq);
    assertThat(counts()).isEqualTo(countsByScan());
    assertThat(store().jobGet(a.id())).isEmpty();
    assertThat(insertMany(job().uniqueKey("atomic")).get(0).duplicate()).isFalse();
  }

  // Demanding reading: the "one live job per key" rule also holds for a manual retry. A failed
  // job whose key a newer live job now holds cannot come back (409), rather than giving two live
  // jobs one key.
  @Test
  default void a_retry_is_refused_while_another_live_job_holds_the_key() {
    Job old = running(job().uniqueKey("k"));
    finish(new JobFinish.Failed(lease(old), error(1, "x")));
    Job newer = insert(job().uniqueKey("k"));

    assertThatThrownBy(() -> change(old.id(), Action.RETRY))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining(old.id().toString());
    assertThat(get(old.id()).state()).isEqualTo(JobState.FAILED);

    change(newer.id(), Action.CANCEL);
    assertThat(change(old.id(), Action.RETRY).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(insertMany(job().uniqueKey("k")).get(0).job().id()).isEqualTo(old.id());
  }
}
