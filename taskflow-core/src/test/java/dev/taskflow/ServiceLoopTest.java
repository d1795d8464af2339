package dev.taskflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceLoopTest {

  @Test
  void a_wake_runs_the_next_pass_at_once_instead_of_after_the_interval() {
    AtomicInteger passes = new AtomicInteger();
    try (ServiceLoop loop =
        ServiceLoop.builder("waker", () -> Duration.ofHours(passes.incrementAndGet()))
            .build()
            .start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
      loop.wake();
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 2);
    }
  }

  @Test
  void store_failures_back_off_and_the_recovery_hook_runs_once_when_the_store_answers_again() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger recovered = new AtomicInteger();
    AtomicBoolean storeUp = new AtomicBoolean(false);
    try (ServiceLoop loop =
        ServiceLoop.builder(
                "flaky",
                () -> {
                  calls.incrementAndGet();
                  if (!storeUp.get()) throw new StorageException("connection refused");
                  return Duration.ofHours(1);
                })
            .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .onRecovered(recovered::incrementAndGet)
            .build()
            .start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
      assertThat(loop.isFailing()).isTrue();
      assertThat(recovered).hasValue(0);

      storeUp.set(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> !loop.isFailing());
      assertThat(recovered).hasValue(1);
    }
  }

  @Test
  void an_unexpected_error_in_a_pass_does_not_end_the_loop() {
    AtomicInteger calls = new AtomicInteger();
    try (ServiceLoop loop =
        ServiceLoop.builder(
                "buggy",
                () -> {
                  if (calls.incrementAndGet() == 1) throw new IllegalStateException("bug");
                  return Duration.ofHours(1);
                })
            .every(Duration.ofMillis(5))
            .build()
            .start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 2);
      assertThat(loop.isFailing()).isFalse();
    }
  }

  @Test
  void passes_run_only_while_leading_and_close_gives_the_leadership_up() {
    AtomicBoolean granted = new AtomicBoolean(false);
    AtomicInteger passes = new AtomicInteger();
    List<String> resigned = new CopyOnWriteArrayList<>();
    ServiceLoop loop =
        ServiceLoop.builder(
                "leader-only",
                () -> {
                  passes.incrementAndGet();
                  return null;
                })
            .every(Duration.ofMillis(5))
            .leadership(
                "exports", Duration.ofMillis(30), (name, ttl) -> granted.get(), resigned::add)
            .build()
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(loop.isLeading()).isFalse());
      assertThat(passes).hasValue(0);

      granted.set(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 2);
      assertThat(loop.isLeading()).isTrue();
    } finally {
      loop.close();
    }
    assertThat(resigned).containsExactly("exports");
    assertThat(loop.isLeading()).isFalse();
  }

  @Test
  void a_bad_name_or_interval_is_refused_when_configured() {
    assertThatThrownBy(() -> ServiceLoop.builder("has space", () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loop name");
    assertThatThrownBy(() -> ServiceLoop.builder("ok", () -> null).every(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every must be at least 1 ms");
    assertThatThrownBy(
            () ->
                ServiceLoop.builder("ok", () -> null)
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below min");
  }
}
