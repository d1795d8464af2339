package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Row 3 of the hostile sweep: 150 live searches re-ran one scan each per event. Streams showing the
 * same filter now share one query per window, and expensive queries run one at a time.
 */
class SharedResultsTest {
  private static final long LONG = TimeUnit.MINUTES.toNanos(1);
  private static final long ANY = Long.MIN_VALUE;

  @Test
  void streams_asking_for_the_same_key_at_once_share_one_query() throws Exception {
    SharedResults<String, Integer> shared = new SharedResults<>(100);
    AtomicInteger queries = new AtomicInteger();
    CountDownLatch inQuery = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> streams = new ArrayList<>();
    List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 20; i++) {
      streams.add(
          Thread.ofVirtual()
              .start(
                  () ->
                      seen.add(
                          shared.get(
                              "q=zzz",
                              ANY,
                              LONG,
                              true,
                              () -> {
                                inQuery.countDown();
                                awaitQuietly(release);
                                return queries.incrementAndGet();
                              }))));
    }
    assertThat(inQuery.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    for (Thread t : streams) t.join(10_000);

    assertThat(queries).hasValue(1);
    assertThat(seen).hasSize(20).containsOnly(1);
  }

  @Test
  void a_result_older_than_its_window_is_queried_again_and_other_keys_are_their_own() {
    SharedResults<String, Integer> shared = new SharedResults<>(100);
    AtomicInteger queries = new AtomicInteger();

    int a1 = shared.get("a", ANY, LONG, false, queries::incrementAndGet);
    int a2 = shared.get("a", ANY, LONG, false, queries::incrementAndGet);
    int b = shared.get("b", ANY, LONG, false, queries::incrementAndGet);
    int aStale = shared.get("a", ANY, 0, false, queries::incrementAndGet);

    assertThat(List.of(a1, a2, b, aStale)).containsExactly(1, 1, 2, 3);
  }

  @Test
  void a_result_computed_before_the_change_a_stream_learnt_of_is_never_reused() {
    SharedResults<String, Integer> shared = new SharedResults<>(100);
    AtomicInteger queries = new AtomicInteger();

    int before = shared.get("q", ANY, LONG, false, queries::incrementAndGet);
    long changeSeen = System.nanoTime(); // an event: the stored jobs changed after that query
    int after = shared.get("q", changeSeen, LONG, false, queries::incrementAndGet);
    int again = shared.get("q", changeSeen, LONG, false, queries::incrementAndGet);

    assertThat(List.of(before, after, again))
        .as("the stale result is not served; the fresh one is shared")
        .containsExactly(1, 2, 2);
  }

  @Test
  void expensive_queries_of_different_keys_never_run_at_the_same_time() throws Exception {
    SharedResults<Integer, Integer> shared = new SharedResults<>(100);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Thread> streams = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int key = i;
      streams.add(
          Thread.ofVirtual()
              .start(
                  () ->
                      shared.get(
                          key,
                          ANY,
                          LONG,
                          true,
                          () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return key;
                          })));
    }
    for (Thread t : streams) t.join(10_000);

    assertThat(most).hasValue(1);
  }

  @Test
  void it_keeps_at_most_its_number_of_keys() {
    SharedResults<Integer, Integer> shared = new SharedResults<>(10);
    AtomicInteger queries = new AtomicInteger();
    for (int i = 0; i < 25; i++) shared.get(i, ANY, 0, false, queries::incrementAndGet);
    // every entry was already stale: the 25 keys never held more than 10 entries, and key 24,
    // queried again with a long window, is still there
    assertThat(shared.get(24, ANY, LONG, false, queries::incrementAndGet)).isEqualTo(25);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
