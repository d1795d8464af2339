package dev.taskflow.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.ResourceConfig;
import dev.taskflow.ResourceInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AIMD rules of {@link AimdLimiter}, fed latencies and errors directly: no clock, no threads.
 */
class AimdLimiterTest {
  private static final Duration FAST = Duration.ofMillis(10);

  private static AimdLimiter limiter(ResourceConfig c) {
    return new AimdLimiter("model-server", c);
  }

  /** Starts {@code n} attempts at once (a claim that reserved the room and used n of it). */
  private static void start(AimdLimiter l, int n) {
    int room = l.reserve();
    assertThat(room).as("room for %d", n).isGreaterThanOrEqualTo(n);
    l.settle(room, n);
  }

  /**
   * One window under load: the limit's worth in flight, {@code window} of them finish with this
   * latency ({@code errors} of them failed; more start as slots free), the rest end unjudged.
   */
  private static void window(AimdLimiter l, int window, Duration latency, int errors) {
    int inFlight = l.limit();
    start(l, inFlight);
    for (int i = 0; i < window; i++) {
      if (inFlight == 0) {
        start(l, 1);
        inFlight++;
      }
      if (i < errors) l.failed();
      else l.succeeded(latency);
      inFlight--;
    }
    for (; inFlight > 0; inFlight--) l.released();
  }

  @Test
  void the_limit_starts_at_its_initial_value_and_reserve_takes_only_the_free_room() {
    AimdLimiter l = limiter(new ResourceConfig().min(1).max(20).initial(4));

    assertThat(l.reserve()).isEqualTo(4);
    assertThat(l.reserve()).isZero();
    l.settle(4, 3); // three started, one slot given back
    l.settle(0, 0);
    assertThat(l.reserve()).isEqualTo(1);
    assertThat(l.info(List.of()).inFlight()).isEqualTo(3);
  }

  @Test
  void a_busy_window_at_the_baseline_latency_raises_the_limit_by_one() {
    AimdLimiter l = limiter(new ResourceConfig().initial(4).window(4));

    window(l, 4, FAST, 0); // sets the baseline
    window(l, 4, FAST, 0);

    assertThat(l.limit()).isEqualTo(6);
    assertThat(l.info(List.of()).baseline()).isEqualTo(FAST);
  }

  @Test
  void a_window_that_never_filled_the_limit_leaves_it_alone() {
    AimdLimiter l = limiter(new ResourceConfig().initial(8).window(4));

    for (int i = 0; i < 4; i++) { // one at a time: the limit is not what bounds the work
      start(l, 1);
      l.succeeded(FAST);
    }

    assertThat(l.limit()).isEqualTo(8);
  }

  @Test
  void latency_above_tolerance_times_the_baseline_multiplies_the_limit_by_the_backoff() {
    AimdLimiter l = limiter(new ResourceConfig().initial(16).max(16).window(4).backoff(0.5));
    window(l, 4, FAST, 0);

    window(l, 4, FAST.multipliedBy(3), 0); // 3x > 2x tolerance

    assertThat(l.limit()).isEqualTo(8);
    window(l, 4, FAST.multipliedBy(3), 0);
    assertThat(l.limit()).isEqualTo(4);
    ResourceInfo info = l.info(List.of("embedding.generate"));
    assertThat(info.decreases()).isEqualTo(2);
    assertThat(info.latency()).isEqualTo(FAST.multipliedBy(3));
  }

  @Test
  void latency_within_tolerance_is_not_a_reason_to_lower() {
    AimdLimiter l = limiter(new ResourceConfig().initial(4).window(4).tolerance(2.0));
    window(l, 4, FAST, 0);

    window(l, 4, FAST.multipliedBy(2), 0); // exactly 2x: not above

    assertThat(l.limit()).isEqualTo(6); // raised after each busy window
  }

  @Test
  void errors_above_the_error_rate_lower_the_limit_even_when_fast() {
    AimdLimiter l = limiter(new ResourceConfig().initial(10).window(10).errorRate(0.1));

    window(l, 10, FAST, 1); // 10%: not above
    assertThat(l.limit()).isEqualTo(11);
    window(l, 10, FAST, 2); // 20%
    assertThat(l.limit()).isEqualTo(8); // floor(11 * 0.75)
    assertThat(l.info(List.of()).errorRate()).isEqualTo(0.2);
  }

  @Test
  void the_limit_stays_within_min_and_max_and_always_moves_by_at_least_one_when_lowered() {
    AimdLimiter l = limiter(new ResourceConfig().min(2).max(3).initial(3).window(1));
    l.failed(); // nothing in flight: still a sample
    assertThat(l.limit()).isEqualTo(2); // floor(3 * 0.75) = 2
    l.failed();
    assertThat(l.limit()).isEqualTo(2); // min
    for (int i = 0; i < 5; i++) window(l, 1, FAST, 0);
    assertThat(l.limit()).isEqualTo(3); // max
  }

  @Test
  void the_limit_recovers_one_step_per_busy_window_once_the_downstream_is_fast_again() {
    AimdLimiter l = limiter(new ResourceConfig().initial(8).max(8).window(4).backoff(0.5));
    window(l, 4, FAST, 0);
    window(l, 4, FAST.multipliedBy(5), 0);
    window(l, 4, FAST.multipliedBy(5), 0);
    assertThat(l.limit()).isEqualTo(2);

    for (int i = 0; i < 6; i++) window(l, 4, FAST, 0);

    assertThat(l.limit()).isEqualTo(8);
    assertThat(l.info(List.of()).increases()).isEqualTo(6);
  }

  @Test
  void the_baseline_drifts_toward_a_lasting_slower_latency_so_the_limit_stops_falling() {
    AimdLimiter l = limiter(new ResourceConfig().initial(4).min(1).window(1).backoff(0.5));
    start(l, 1);
    l.succeeded(FAST);
    Duration slower = FAST.multipliedBy(3);
    int windows = 0;
    while (l.info(List.of()).baseline().multipliedBy(2).compareTo(slower) < 0) {
      start(l, 1);
      l.succeeded(slower);
      windows++;
    }
    // ln(1.5 / 1) / ln(1/0.95) ~ 8 windows until 3x is within 2x of the baseline
    assertThat(windows).isBetween(5, 15);
    int before = l.limit();
    start(l, 1);
    l.succeeded(slower);
    assertThat(l.limit()).isGreaterThanOrEqualTo(before);
  }
}
