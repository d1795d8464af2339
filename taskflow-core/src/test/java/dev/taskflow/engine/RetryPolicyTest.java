package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff ceilings, jitter bounds and the guaranteed span of a policy with a jitter floor. */
class RetryPolicyTest {

  @Test
  void the_default_policy_keeps_full_jitter() {
    assertThat(RetryPolicy.DEFAULT.minJitter()).isZero();
    assertThat(RetryPolicy.DEFAULT.minDelay(5)).isEqualTo(Duration.ZERO);
    assertThat(RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)).minJitter())
        .isZero();
  }

  @Test
  void every_wait_lies_between_the_floor_and_the_ceiling() {
    RetryPolicy p =
        RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofHours(10)).withMinJitter(0.5);
    for (int attempt = 1; attempt <= 25; attempt++) {
      Duration ceiling = p.ceiling(attempt);
      assertThat(p.minDelay(attempt)).isEqualTo(Duration.ofMillis(ceiling.toMillis() / 2));
      for (int i = 0; i < 200; i++) {
        assertThat(p.delay(attempt)).isBetween(p.minDelay(attempt), ceiling);
      }
    }
  }

  @Test
  void a_jitter_floor_of_one_waits_exactly_the_ceiling() {
    RetryPolicy p =
        RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)).withMinJitter(1);
    assertThat(p.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.delay(30)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void the_minimum_span_is_the_sum_of_the_floors_between_tries() {
    RetryPolicy p =
        RetryPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(10)).withMinJitter(0.5);
    // waits after tries 1..4: ceilings 2, 4, 8, 10 s -> floors 1, 2, 4, 5 s
    assertThat(p.minSpan(5)).isEqualTo(Duration.ofSeconds(12));
    assertThat(p.minSpan(1)).isEqualTo(Duration.ZERO);
    assertThat(RetryPolicy.DEFAULT.minSpan(25)).isEqualTo(Duration.ZERO);
  }

  @Test
  void withers_keep_the_other_settings() {
    RetryPolicy p =
        RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1))
            .withMinJitter(0.25)
            .withNonRetryable(IllegalStateException.class);
    assertThat(p.minJitter()).isEqualTo(0.25);
    assertThat(p.isRetryable(new IllegalStateException())).isFalse();
    assertThat(p.withMinJitter(0.75).isRetryable(new IllegalStateException())).isFalse();
  }

  @Test
  void a_jitter_floor_outside_zero_to_one_is_refused_with_its_value() {
    RetryPolicy p = RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertThatThrownBy(() -> p.withMinJitter(-0.1)).hasMessageContaining("minJitter must be 0..1");
    assertThatThrownBy(() -> p.withMinJitter(1.5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> p.withMinJitter(Double.NaN)).hasMessageContaining("NaN");
  }
}
