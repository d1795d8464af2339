package dev.taskflow.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nextAfter / nextFires: strictness, impossible and rare schedules, the search bound. */
class CronNextAfterTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void the_next_fire_is_strictly_after_the_given_instant() {
    CronExpression cron = CronExpression.parse("0 12 * * *");
    Instant noon = Instant.parse("2025-06-01T12:00:00Z");
    assertThat(cron.nextAfter(noon, UTC)).contains(Instant.parse("2025-06-02T12:00:00Z"));
    assertThat(cron.nextAfter(noon.minusNanos(1), UTC)).contains(noon);
    assertThat(cron.nextAfter(noon.plusNanos(1), UTC))
        .contains(Instant.parse("2025-06-02T12:00:00Z"));
  }

  @Test
  void fire_times_are_evaluated_in_the_given_zone() {
    CronExpression cron = CronExpression.parse("0 9 * * MON-FRI");
    Instant friday = Instant.parse("2025-06-06T10:00:00Z");
    assertThat(cron.nextAfter(friday, ZoneId.of("Asia/Kolkata"))) // 15:30 IST on Friday
        .contains(Instant.parse("2025-06-09T03:30:00Z")); // Monday 09:00 IST
    assertThat(cron.nextAfter(friday, ZoneId.of("America/Los_Angeles"))) // 03:00 PDT on Friday
        .contains(Instant.parse("2025-06-06T16:00:00Z")); // Friday 09:00 PDT
  }

  @Test
  void next_fires_lists_consecutive_fire_times_and_stops_when_the_schedule_has_none() {
    CronExpression cron = CronExpression.parse("0 0 1 */4 *");
    assertThat(cron.nextFires(Instant.parse("2025-02-15T00:00:00Z"), UTC, 3))
        .containsExactly(
            Instant.parse("2025-05-01T00:00:00Z"),
            Instant.parse("2025-09-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(CronExpression.parse("0 0 30 2 *").nextFires(Instant.EPOCH, UTC, 5)).isEmpty();
    assertThat(cron.nextFires(Instant.EPOCH, UTC, 0)).isEmpty();
    assertThatThrownBy(() -> cron.nextFires(Instant.EPOCH, UTC, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @ParameterizedTest
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "* * 30,31 FEB *", "0 0 0 31 2,4 *"})
  void an_expression_that_can_never_fire_gives_empty_at_once(String expression) {
    CronExpression cron = CronExpression.parse(expression);
    assertThat(cron.nextAfter(Instant.parse("2025-01-01T00:00:00Z"), UTC)).isEmpty();
    assertThat(cron.nextAfter(Instant.parse("2025-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin")))
        .isEmpty();
  }

  @Test
  void the_29th_of_february_is_found_across_the_non_leap_year_2100() {
    assertThat(
            CronExpression.parse("0 0 29 2 *")
                .nextAfter(Instant.parse("2096-03-01T00:00:00Z"), UTC))
        .contains(Instant.parse("2104-02-29T00:00:00Z"));
  }

  @Test
  void the_rarest_possible_schedules_stay_well_inside_the_search_bound() {
    // 1 February on a Monday: the day fields are ANDed because day-of-month starts with '*'.
    List<Instant> fires =
        CronExpression.parse("0 0 */30 2 MON")
            .nextFires(Instant.parse("2000-01-01T00:00:00Z"), UTC, 60);
    assertThat(fires).hasSize(60);
    for (int i = 1; i < fires.size(); i++) {
      Period gap =
          Period.between(
              fires.get(i - 1).atZone(UTC).toLocalDate(), fires.get(i).atZone(UTC).toLocalDate());
      assertThat(gap.getYears()).isLessThanOrEqualTo(12);
      assertThat(fires.get(i).atZone(UTC).getDayOfMonth()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void a_dense_schedule_years_away_is_found_without_scanning_seconds() {
    // Every second of one minute on 29 February: from 2097 a second-by-second scan would take
    // ~220 million steps; the field-by-field search takes a few hundred.
    CronExpression cron = CronExpression.parse("* 0 0 29 2 *");
    assertThat(cron.nextAfter(Instant.parse("2097-01-01T00:00:00Z"), UTC))
        .contains(Instant.parse("2104-02-29T00:00:00Z"));
    assertThat(cron.nextAfter(Instant.parse("2097-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin")))
        .contains(Instant.parse("2104-02-28T23:00:00Z"));
  }

  @Test
  void instants_at_the_ends_of_the_time_line_do_not_overflow() {
    CronExpression cron = CronExpression.parse("* * * * *");
    assertThat(cron.nextAfter(Instant.MAX, UTC)).isEmpty();
    assertThat(cron.nextAfter(Instant.MIN, UTC)).isPresent();
    assertThat(cron.nextAfter(Instant.MIN, ZoneId.of("Europe/Berlin"))).isPresent();
  }
}
