package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobProgress;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobProgressParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The event log: one built-in event per change, custom events, order and resumption. */
public interface EventLogContract extends TckSupport {

  private List<JobEvent> since(long after, int limit) {
    return store().eventsSince(new EventsSinceParams(after, null, limit));
  }

  @Test
  default void every_change_of_a_job_appends_its_event() {
    Job scheduled = insert(job().delay(Duration.ofSeconds(1)));
    clock().advance(Duration.ofSeconds(1));
    promote();
    Job claimed = claimOne(SERVER_A);
    store().jobProgress(new JobProgressParams(lease(claimed), JobProgress.of(10, "go")));
    finish(new JobFinish.Failed(lease(claimed), error(1, "x")));
    change(claimed.id(), Action.RETRY);
    change(claimed.id(), Action.CANCEL);
    change(claimed.id(), Action.DELETE);

    assertThat(eventTypes(scheduled.id()))
        .containsExactly(
            JobEvent.SCHEDULED,
            JobEvent.ENQUEUED,
            JobEvent.STARTED,
            JobEvent.PROGRESS,
            JobEvent.FAILED,
            JobEvent.ENQUEUED,
            JobEvent.CANCELLED,
            JobEvent.DELETED);
  }

  @Test
  default void events_carry_the_envelope_of_their_job_and_the_store_time() {
    Job j = insert(job().type("t.env").queue("q-env").owner("tenant-7"));
    Instant now = clock().advance(Duration.ofSeconds(3));
    change(j.id(), Action.CANCEL);

    assertThat(events(j.id()))
        .allSatisfy(
            e -> {
              assertThat(e.jobId()).isEqualTo(j.id());
              assertThat(e.jobType()).isEqualTo("t.env");
              assertThat(e.queue()).isEqualTo("q-env");
              assertThat(e.owner()).isEqualTo("tenant-7");
              assertThat(json(e.dataJson()).isObject()).isTrue();
            });
    assertThat(events(j.id()).get(0).time()).isEqualTo(j.createdAt());
    assertThat(lastEvent(j.id()).time()).isEqualTo(now);
  }

  @Test
  default void sequences_strictly_increase_and_the_latest_is_reported() {
    insertN(3, s -> s);
    Job claimed = claimOne(SERVER_A);
    finish(new JobFinish.Completed(lease(claimed), "{}"));

    List<JobEvent> all = since(0, 1000);

    assertThat(all).hasSize(5);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
    }
    assertThat(all).allSatisfy(e -> assertThat(e.id()).isEqualTo(Long.toString(e.seq())));
    assertThat(store().eventLatestSeq()).isEqualTo(all.get(all.size() - 1).seq());
  }

  @Test
  default void events_since_returns_only_later_events_in_order_up_to_the_limit() {
    insertN(10, s -> s);
    List<JobEvent> all = since(0, 1000);
    long mid = all.get(3).seq();

    assertThat(since(mid, 1000)).containsExactlyElementsOf(all.subList(4, 10));
    assertThat(since(mid, 2)).containsExactlyElementsOf(all.subList(4, 6));
    assertThat(since(store().eventLatestSeq(), 1000)).isEmpty();
    assertThat(since(0, 3)).containsExactlyElementsOf(all.subList(0, 3));
  }

  @Test
  default void events_since_can_follow_one_job() {
    Job a = insert(job());
    Job b = insert(job().queue("other"));
    Job claimed = claimOne(SERVER_A);
    finish(new JobFinish.Completed(lease(claimed), "{}"));
    change(b.id(), Action.CANCEL);

    List<JobEvent> ofA = store().eventsSince(new EventsSinceParams(0, a.id(), 100));
    assertThat(ofA).extracting(JobEvent::jobId).containsOnly(a.id());
    assertThat(ofA)
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.ENQUEUED, JobEvent.STARTED, JobEvent.COMPLETED);
    long afterFirst = ofA.get(0).seq();
    assertThat(store().eventsSince(new EventsSinceParams(afterFirst, a.id(), 1)))
        .containsExactly(ofA.get(1));
    assertThat(store().eventsSince(new EventsSinceParams(0, newId(), 100))).isEmpty();
  }

  @Test
  default void a_custom_event_is_appended_with_the_next_sequence() {
    Job j = insert(job().type("t.custom").queue("q-c").owner("o-1"));
    long before = store().eventLatestSeq();
    Instant now = clock().advance(Duration.ofSeconds(2));

    JobEvent e =
        store()
            .eventAppend(new EventAppendParams(j.id(), "workflow.step_completed", "{\"step\":2}"));

    assertThat(e.seq()).isGreaterThan(before);
    assertThat(e.type()).isEqualTo("workflow.step_completed");
    assertThat(e.jobId()).isEqualTo(j.id());
    assertThat(e.jobType()).isEqualTo("t.custom");
    assertThat(e.queue()).isEqualTo("q-c");
    assertThat(e.owner()).isEqualTo("o-1");
    assertThat(e.time()).isEqualTo(now);
    assertThat(json(e.dataJson())).isEqualTo(json("{\"step\":2}"));
    assertThat(store().eventLatestSeq()).isEqualTo(e.seq());
    assertThat(lastEvent(j.id())).isEqualTo(e);
    assertThat(get(j.id()).history()).hasSize(1);
  }

  @Test
  default void a_fenced_append_is_written_while_its_lease_holds_and_refused_after() {
    Job claimed = running(job().type("t.fenced"));
    JobLease held = lease(claimed);

    JobEvent e = store().eventAppend(EventAppendParams.fenced(held, "x.step", "{\"step\":1}"));
    assertThat(e).isNotNull();
    assertThat(e.type()).isEqualTo("x.step");
    assertThat(e.jobType()).isEqualTo("t.fenced");

    store().jobFinishMany(new JobFinishManyParams(List.of(new JobFinish.Completed(held, null))));
    long before = store().eventLatestSeq();
    assertThat(store().eventAppend(EventAppendParams.fenced(held, "x.step", "{\"step\":2}")))
        .as("an append under the lease of a finished attempt")
        .isNull();
    assertThat(store().eventLatestSeq()).isEqualTo(before);
    assertThatThrownBy(
            () ->
                store()
                    .eventAppend(
                        EventAppendParams.fenced(
                            new JobLease(newId(), 1, SERVER_A), "x.step", "{}")))
        .isInstanceOf(JobNotFoundException.class);
  }

  // Demanding reading: an event names its job's type, queue and owner, so appending one for a
  // job that does not exist (or was removed by retention) is refused rather than stored orphaned.
  @Test
  default void a_custom_event_for_an_unknown_job_is_refused() {
    long before = store().eventLatestSeq();

    assertThatThrownBy(() -> store().eventAppend(new EventAppendParams(newId(), "x.custom", "{}")))
        .isInstanceOf(JobNotFoundException.class);
    assertThat(store().eventLatestSeq()).isEqualTo(before);
  }

  @Test
  default void concurrent_appends_get_distinct_increasing_sequences() throws Exception {
    Job j = insert(job());
    int threads = 8;
    int each = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int writer = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    store()
                        .eventAppend(
                            new EventAppendParams(
                                j.id(), "tck.tick", "{\"writer\":" + writer + ",\"i\":" + i + "}"));
                  }
                }));
      }
      for (Future<?> f : done) f.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }

    List<JobEvent> all = since(0, 10_000);
    assertThat(all).hasSize(1 + threads * each);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
    }
    // each writer's own events keep its order
    for (int t = 0; t < threads; t++) {
      int writer = t;
      assertThat(
              all.stream()
                  .filter(e -> e.type().equals("tck.tick"))
                  .map(e -> json(e.dataJson()))
                  .filter(d -> d.path("writer").asInt() == writer)
                  .map(d -> d.path("i").asInt())
                  .toList())
          .isSorted()
          .hasSize(each);
    }
  }

  // "Sequences are strictly increasing in commit order": a reader that resumes from the last
  // sequence it saw (as SSE clients do with Last-Event-ID) never misses an event that commits
  // later with a lower sequence.
  @Test
  default void a_reader_following_the_log_during_concurrent_writes_misses_nothing()
      throws Exception {
    int writers = 4;
    int each = 100;
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      Future<List<JobEvent>> reader =
          pool.submit(
              () -> {
                List<JobEvent> seen = new ArrayList<>();
                long last = 0;
                while (true) {
                  boolean stillWriting = writing.get();
                  List<JobEvent> page = since(last, 50);
                  seen.addAll(page);
                  if (!page.isEmpty()) last = page.get(page.size() - 1).seq();
                  if (page.isEmpty() && !stillWriting) return seen;
                }
              });
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) insert(job());
                }));
      }
      for (Future<?> f : done) f.get(1, TimeUnit.MINUTES);
      writing.set(false);

      List<JobEvent> seen = reader.get(1, TimeUnit.MINUTES);
      assertThat(seen).hasSize(writers * each).containsExactlyElementsOf(since(0, 10_000));
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
  }
}
