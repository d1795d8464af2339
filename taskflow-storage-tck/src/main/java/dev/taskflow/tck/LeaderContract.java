package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.spi.LeaderParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leader lease: at most one live holder per name, renewable by its holder, taken over by
 * another owner only once its ttl has passed on the store clock. Part of the core: every store
 * keeps it, also one that a single process uses (several TaskFlow instances may share it).
 */
public interface LeaderContract extends TckSupport {
  String MAINTENANCE = "maintenance";
  Duration TTL = Duration.ofSeconds(30);

  private boolean acquire(String owner) {
    return store().leaderTryAcquire(new LeaderParams(MAINTENANCE, owner, TTL));
  }

  @Test
  default void the_first_owner_takes_a_free_leadership() {
    assertThat(acquire(SERVER_A)).isTrue();
  }

  @Test
  default void another_owner_cannot_take_a_live_leadership() {
    assertThat(acquire(SERVER_A)).isTrue();
    clock().advance(TTL.minusMillis(1));

    assertThat(acquire(SERVER_B)).isFalse();
  }

  @Test
  default void the_holder_renews_and_the_renewal_moves_the_expiry() {
    assertThat(acquire(SERVER_A)).isTrue();
    clock().advance(TTL.minusSeconds(1));
    assertThat(acquire(SERVER_A)).as("renewal by the holder").isTrue();
    clock().advance(Duration.ofSeconds(2)); // past the first expiry, within the renewed one

    assertThat(acquire(SERVER_B)).isFalse();
  }

  @Test
  default void another_owner_takes_over_once_the_ttl_has_passed() {
    assertThat(acquire(SERVER_A)).isTrue();
    clock().advance(TTL);
    assertThat(acquire(SERVER_B)).as("at the exact expiry the lease still holds").isFalse();
    clock().advance(Duration.ofMillis(1));

    assertThat(acquire(SERVER_B)).isTrue();
    assertThat(acquire(SERVER_A)).as("the old holder lost it").isFalse();
  }

  @Test
  default void a_released_leadership_is_free_at_once() {
    assertThat(acquire(SERVER_A)).isTrue();

    store().leaderRelease(MAINTENANCE, SERVER_A);

    assertThat(acquire(SERVER_B)).isTrue();
  }

  @Test
  default void only_the_holder_can_release() {
    assertThat(acquire(SERVER_A)).isTrue();

    store().leaderRelease(MAINTENANCE, SERVER_B);

    assertThat(acquire(SERVER_B)).isFalse();
  }

  @Test
  default void names_are_independent() {
    assertThat(acquire(SERVER_A)).isTrue();

    assertThat(store().leaderTryAcquire(new LeaderParams("scheduler", SERVER_B, TTL))).isTrue();
  }

  @Test
  default void of_many_concurrent_candidates_exactly_one_wins() throws Exception {
    int n = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Boolean>> wins = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String owner = "candidate-" + i;
        wins.add(
            pool.submit(
                () -> {
                  start.await();
                  return acquire(owner);
                }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> f : wins) if (f.get(1, TimeUnit.MINUTES)) winners++;
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
