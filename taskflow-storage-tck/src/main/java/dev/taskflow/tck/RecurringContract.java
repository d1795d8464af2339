package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.RecurringDueParams;
import dev.taskflow.spi.RecurringFireParams;
import dev.taskflow.spi.RecurringListParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringSaveParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recurring schedules: saved and replaced by id (keeping their runs), listed in id order, deleted,
 * listed when due, and fired by compare-and-set of the next fire time in the transaction that
 * inserts the fire's jobs, so that of two firers of one fire time exactly one wins.
 */
public interface RecurringContract extends TckSupport {
  String SPEC = "{\"cron\":\"* * * * *\",\"zone\":\"UTC\",\"job\":{\"type\":\"report.build\"}}";

  private Instant at(long seconds) {
    return StorageTck.T0.plusSeconds(seconds);
  }

  private boolean save(String id, boolean paused, Instant next) {
    return recurringStore().save(new RecurringSaveParams(id, SPEC, paused, next));
  }

  private RecurringRecord read(String id) {
    return recurringStore()
        .get(id)
        .orElseThrow(() -> new AssertionError("schedule " + id + " is not in the store"));
  }

  private NewJob fireJob(String id, Instant fireTime) {
    return job()
        .type("report.build")
        .uniqueKey("recurring:" + id + ":" + fireTime.toEpochMilli())
        .tags("recurring:" + id)
        .toNewJob();
  }

  private boolean fire(String id, Instant expected, Instant next, List<NewJob> jobs) {
    Instant last = jobs.isEmpty() ? null : expected;
    return recurringStore()
        .fire(new RecurringFireParams(id, expected, next, last, jobs.size(), jobs, SERVER_A));
  }

  @Test
  default void a_new_schedule_reads_back_with_no_runs_and_the_store_times() {
    assertThat(save("nightly", false, at(60))).isTrue();

    RecurringRecord r = read("nightly");
    assertThat(json(r.specJson())).isEqualTo(json(SPEC));
    assertThat(r.paused()).isFalse();
    assertThat(r.nextFireAt()).isEqualTo(at(60));
    assertThat(r.lastFireAt()).isNull();
    assertThat(r.lastJobId()).isNull();
    assertThat(r.runs()).isZero();
    assertThat(r.createdAt()).isEqualTo(StorageTck.T0);
    assertThat(r.updatedAt()).isEqualTo(StorageTck.T0);
  }

  @Test
  default void an_unknown_schedule_is_absent_and_deleting_it_changes_nothing() {
    assertThat(recurringStore().get("nope")).isEmpty();
    assertThat(recurringStore().delete("nope")).isFalse();
  }

  @Test
  default void saving_again_replaces_the_definition_and_keeps_runs_last_fire_and_creation() {
    save("nightly", false, at(60));
    clock().advance(Duration.ofSeconds(60));
    NewJob j = fireJob("nightly", at(60));
    assertThat(fire("nightly", at(60), at(120), List.of(j))).isTrue();
    clock().advance(Duration.ofSeconds(5));

    String other = "{\"every\":\"PT10M\",\"zone\":\"UTC\",\"job\":{\"type\":\"x\"}}";
    boolean created =
        recurringStore().save(new RecurringSaveParams("nightly", other, true, at(600)));

    assertThat(created).isFalse();
    RecurringRecord r = read("nightly");
    assertThat(json(r.specJson())).isEqualTo(json(other));
    assertThat(r.paused()).isTrue();
    assertThat(r.nextFireAt()).isEqualTo(at(600));
    assertThat(r.runs()).isEqualTo(1);
    assertThat(r.lastFireAt()).isEqualTo(at(60));
    assertThat(r.lastJobId()).isEqualTo(j.id());
    assertThat(r.createdAt()).isEqualTo(StorageTck.T0);
    assertThat(r.updatedAt()).isEqualTo(at(65));
  }

  @Test
  default void a_schedule_that_fires_no_more_keeps_a_null_next_fire_time() {
    save("done", false, null);

    assertThat(read("done").nextFireAt()).isNull();
    assertThat(recurringStore().due(new RecurringDueParams(Duration.ofDays(3650), 10))).isEmpty();
  }

  @Test
  default void schedules_are_listed_in_id_order_and_paged_after_an_id() {
    for (String id : List.of("e", "c", "a", "d", "b")) save(id, false, at(60));

    List<RecurringRecord> first = recurringStore().list(new RecurringListParams(null, 2));
    List<RecurringRecord> rest = recurringStore().list(new RecurringListParams("b", 10));

    assertThat(first).extracting(RecurringRecord::id).containsExactly("a", "b");
    assertThat(rest).extracting(RecurringRecord::id).containsExactly("c", "d", "e");
  }

  @Test
  default void a_deleted_schedule_is_gone_and_its_jobs_stay() {
    save("keep", false, at(60));
    save("drop", false, at(0));
    NewJob j = fireJob("drop", at(0));
    fire("drop", at(0), at(60), List.of(j));

    assertThat(recurringStore().delete("drop")).isTrue();

    assertThat(recurringStore().get("drop")).isEmpty();
    assertThat(recurringStore().list(new RecurringListParams(null, 10)))
        .extracting(RecurringRecord::id)
        .containsExactly("keep");
    assertThat(get(j.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void due_lists_unpaused_schedules_due_within_the_window_earliest_first() {
    save("later", false, at(30));
    save("due-late", false, at(0));
    save("due-early", false, at(-90));
    save("paused", true, at(-120));
    save("far", false, at(3600));

    List<RecurringRecord> now = recurringStore().due(new RecurringDueParams(Duration.ZERO, 10));
    List<RecurringRecord> soon =
        recurringStore().due(new RecurringDueParams(Duration.ofMinutes(1), 10));
    List<RecurringRecord> one = recurringStore().due(new RecurringDueParams(Duration.ZERO, 1));

    assertThat(now).extracting(RecurringRecord::id).containsExactly("due-early", "due-late");
    assertThat(soon)
        .extracting(RecurringRecord::id)
        .containsExactly("due-early", "due-late", "later");
    assertThat(one).extracting(RecurringRecord::id).containsExactly("due-early");
  }

  @Test
  default void due_follows_the_store_clock() {
    save("nightly", false, at(60));
    assertThat(recurringStore().due(new RecurringDueParams(Duration.ZERO, 10))).isEmpty();

    clock().advance(Duration.ofSeconds(60));

    assertThat(recurringStore().due(new RecurringDueParams(Duration.ZERO, 10)))
        .extracting(RecurringRecord::id)
        .containsExactly("nightly");
  }

  @Test
  default void a_fire_moves_the_next_fire_time_counts_runs_and_inserts_its_jobs() {
    save("minutely", false, at(0));
    NewJob a = fireJob("minutely", at(-60));
    NewJob b = fireJob("minutely", at(0));
    clock().advance(Duration.ofSeconds(1));

    boolean won =
        recurringStore()
            .fire(
                new RecurringFireParams(
                    "minutely", at(0), at(60), at(0), 2, List.of(a, b), SERVER_A));

    assertThat(won).isTrue();
    RecurringRecord r = read("minutely");
    assertThat(r.nextFireAt()).isEqualTo(at(60));
    assertThat(r.runs()).isEqualTo(2);
    assertThat(r.lastFireAt()).isEqualTo(at(0));
    assertThat(r.lastJobId()).isEqualTo(b.id());
    assertThat(r.updatedAt()).isEqualTo(at(1));
    Job job = get(b.id());
    assertThat(job.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(job.uniqueKey()).isEqualTo("recurring:minutely:" + at(0).toEpochMilli());
    assertThat(job.tags()).containsExactly("recurring:minutely");
    assertThat(eventTypes(b.id())).containsExactly(JobEvent.ENQUEUED);
    assertThat(get(a.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(recurringStore().due(new RecurringDueParams(Duration.ZERO, 10))).isEmpty();
  }

  @Test
  default void a_fire_without_jobs_only_moves_the_next_fire_time() {
    save("skipper", false, at(0));
    NewJob j = fireJob("skipper", at(0));
    fire("skipper", at(0), at(60), List.of(j));

    assertThat(fire("skipper", at(60), at(120), List.of())).isTrue();

    RecurringRecord r = read("skipper");
    assertThat(r.nextFireAt()).isEqualTo(at(120));
    assertThat(r.runs()).isEqualTo(1);
    assertThat(r.lastFireAt()).isEqualTo(at(0));
    assertThat(r.lastJobId()).isEqualTo(j.id());
  }

  @Test
  default void a_fire_that_ends_the_schedule_leaves_no_next_fire_time() {
    save("twice", false, at(0));

    assertThat(fire("twice", at(0), null, List.of(fireJob("twice", at(0))))).isTrue();

    assertThat(read("twice").nextFireAt()).isNull();
    assertThat(recurringStore().due(new RecurringDueParams(Duration.ofDays(1), 10))).isEmpty();
  }

  @Test
  default void a_fire_with_a_stale_next_fire_time_writes_nothing() {
    save("minutely", false, at(0));
    fire("minutely", at(0), at(60), List.of(fireJob("minutely", at(0))));
    int jobsBefore = allJobs().size();
    NewJob stale = fireJob("minutely", at(0));

    assertThat(fire("minutely", at(0), at(60), List.of(stale))).isFalse();

    assertThat(store().jobGet(stale.id())).isEmpty();
    assertThat(allJobs()).hasSize(jobsBefore);
    RecurringRecord r = read("minutely");
    assertThat(r.runs()).isEqualTo(1);
    assertThat(r.nextFireAt()).isEqualTo(at(60));
  }

  @Test
  default void a_fire_of_an_unknown_schedule_writes_nothing() {
    NewJob j = fireJob("ghost", at(0));

    assertThat(fire("ghost", at(0), at(60), List.of(j))).isFalse();

    assertThat(store().jobGet(j.id())).isEmpty();
  }

  @Test
  default void a_fire_into_a_full_queue_is_never_refused_by_its_max_depth() {
    save("nightly", false, at(0));
    store().queueSetMaxDepth(QUEUE, 0);
    NewJob j = fireJob("nightly", at(0));

    assertThat(fire("nightly", at(0), at(60), List.of(j))).isTrue();

    assertThat(get(j.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(read("nightly").lastJobId()).isEqualTo(j.id());
  }

  @Test
  default void a_fire_whose_key_a_live_job_holds_records_that_job_as_the_last() {
    save("minutely", false, at(0));
    NewJob first = fireJob("minutely", at(0));
    store().jobInsertMany(new dev.taskflow.spi.JobInsertManyParams(List.of(first), SERVER_A));

    assertThat(fire("minutely", at(0), at(60), List.of(fireJob("minutely", at(0))))).isTrue();

    assertThat(read("minutely").lastJobId()).isEqualTo(first.id());
    assertThat(allJobs()).hasSize(1);
  }

  @Test
  default void of_two_concurrent_fires_of_one_fire_time_exactly_one_wins() throws Exception {
    save("every-second", false, at(0));
    int firers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(firers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < firers; i++) {
        NewJob j = job().type("report.build").tags("recurring:every-second").toNewJob();
        jobs.add(j);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return fire("every-second", at(0), at(1), List.of(j));
                }));
      }
      go.countDown();
      int wins = 0;
      for (Future<Boolean> f : results) if (f.get(30, TimeUnit.SECONDS)) wins++;

      assertThat(wins).isEqualTo(1);
      assertThat(jobs.stream().filter(j -> store().jobGet(j.id()).isPresent())).hasSize(1);
      RecurringRecord r = read("every-second");
      assertThat(r.runs()).isEqualTo(1);
      assertThat(r.nextFireAt()).isEqualTo(at(1));
    } finally {
      pool.shutdownNow();
    }
  }
}
