package dev.taskflow.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.StorageException;
import dev.taskflow.internal.Backoff;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fetch loop after a store outage. A fetcher that slept its whole back-off after the database
 * came back (up to 30 s) let the other nodes drain the queue without it: in a PostgreSQL restart
 * test one worker never claimed another job, though its other loops had reconnected.
 */
class FetcherTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void a_wake_up_ends_the_back_off_so_the_fetcher_claims_as_soon_as_the_store_is_back() {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger claims = new AtomicInteger();
    Fetcher.Claimer claimer =
        (f, max) -> {
          claims.incrementAndGet();
          if (down.get()) throw new StorageException("connection refused (the test's outage)");
          return 0;
        };
    // A back-off and a poll far longer than the test waits: only a wake-up can end them in time.
    Backoff backoff = new Backoff("fetcher[default]", 120_000, 120_000, () -> {});
    Fetcher fetcher = new Fetcher("default", 1, 120_000, claimer, backoff);
    fetcher.start();
    try {
      await("the first claim, which fails").atMost(WAIT).until(() -> claims.get() == 1);
      down.set(false);
      fetcher.wake(); // what the notification catch-up or a recovered engine loop does

      await("a claim right after the wake-up").atMost(WAIT).until(() -> claims.get() == 2);
      assertThat(backoff.isFailing()).isFalse();
    } finally {
      fetcher.stop();
    }
  }

  @Test
  void a_back_off_tells_its_hook_once_when_the_store_is_reachable_again() {
    AtomicInteger recovered = new AtomicInteger();
    Backoff backoff = new Backoff("promoter", recovered::incrementAndGet);

    backoff.succeeded();
    assertThat(recovered).as("no outage, nothing to tell").hasValue(0);

    backoff.failed(new StorageException("down"));
    backoff.failed(new StorageException("still down"));
    backoff.succeeded();
    backoff.succeeded();
    assertThat(recovered).hasValue(1);
  }
}
