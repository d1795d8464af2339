package dev.taskflow.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The daylight-saving policy of {@link CronExpression}, with exact instants (2025 transitions).
 *
 * <ul>
 *   <li>Hour field matching every hour: real-time cadence (overlap fires twice, gap skipped).
 *   <li>Any other hour field: once per local time (gap: at the gap's end; overlap: earlier offset).
 * </ul>
 */
class CronDaylightSavingTest {

  private static List<Instant> fires(String expression, String zone, String after, int n) {
    return CronExpression.parse(expression).nextFires(Instant.parse(after), ZoneId.of(zone), n);
  }

  private static List<Instant> instants(String... texts) {
    return Arrays.stream(texts).map(Instant::parse).toList();
  }

  private static List<Duration> gaps(List<Instant> fires) {
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < fires.size(); i++) {
      gaps.add(Duration.between(fires.get(i - 1), fires.get(i)));
    }
    return gaps;
  }

  @Test
  void the_examples_in_docs_recurring_md_hold() {
    ZoneId newYork = ZoneId.of("America/New_York");
    assertThat(
            CronExpression.parse("30 2 * * *")
                .nextAfter(Instant.parse("2025-03-08T12:00:00Z"), newYork))
        .hasToString("Optional[2025-03-09T07:00:00Z]");
    assertThat(
            CronExpression.parse("*/15 * * * *")
                .nextFires(Instant.parse("2025-11-02T05:40:00Z"), newYork, 3))
        .hasToString("[2025-11-02T05:45:00Z, 2025-11-02T06:00:00Z, 2025-11-02T06:15:00Z]");
  }

  /**
   * Spring forward 9 March 02:00 EST -> 03:00 EDT (07:00Z); fall back 2 November 02:00 EDT -> 01:00
   * EST (06:00Z).
   */
  @Nested
  class NewYork {
    static final String NY = "America/New_York";

    @Test
    void a_daily_time_in_the_spring_forward_gap_runs_at_the_first_instant_after_it() {
      assertThat(fires("30 2 * * *", NY, "2025-03-08T12:00:00Z", 2))
          .isEqualTo(instants("2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z")); // 03:00 EDT
    }

    @Test
    void a_daily_time_in_the_fall_back_overlap_runs_once_at_the_earlier_offset() {
      assertThat(fires("30 1 * * *", NY, "2025-11-01T12:00:00Z", 2))
          .isEqualTo(instants("2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z")); // 01:30 EDT
    }

    @Test
    void during_the_second_pass_through_the_overlap_a_daily_time_does_not_fire_again() {
      // 06:15Z is 01:15 EST, after 01:30 EDT has fired; 01:30 EST (06:30Z) must not fire.
      assertThat(fires("30 1 * * *", NY, "2025-11-02T06:15:00Z", 1))
          .isEqualTo(instants("2025-11-03T06:30:00Z"));
    }

    @Test
    void every_15_minutes_keeps_real_time_cadence_over_spring_forward() {
      List<Instant> fires = fires("*/15 * * * *", NY, "2025-03-09T06:30:00Z", 8);
      assertThat(fires.subList(0, 3))
          .isEqualTo(
              instants("2025-03-09T06:45:00Z", "2025-03-09T07:00:00Z", "2025-03-09T07:15:00Z"));
      assertThat(gaps(fires)).containsOnly(Duration.ofMinutes(15));
    }

    @Test
    void every_15_minutes_fires_through_both_occurrences_of_the_repeated_hour() {
      List<Instant> fires = fires("*/15 * * * *", NY, "2025-11-02T04:50:00Z", 12);
      // 01:00, 01:15, 01:30, 01:45 EDT, then 01:00 ... 01:45 EST, then 02:00 EST ...
      assertThat(fires.get(0)).isEqualTo(Instant.parse("2025-11-02T05:00:00Z"));
      assertThat(fires.get(4)).isEqualTo(Instant.parse("2025-11-02T06:00:00Z"));
      assertThat(fires.get(8)).isEqualTo(Instant.parse("2025-11-02T07:00:00Z"));
      assertThat(gaps(fires)).containsOnly(Duration.ofMinutes(15));
    }

    @Test
    void hourly_fires_every_real_hour_across_both_transitions() {
      assertThat(fires("0 * * * *", NY, "2025-03-09T05:30:00Z", 3))
          .isEqualTo(
              instants("2025-03-09T06:00:00Z", "2025-03-09T07:00:00Z", "2025-03-09T08:00:00Z"));
      assertThat(fires("@hourly", NY, "2025-11-02T04:30:00Z", 3))
          .isEqualTo(
              instants("2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z", "2025-11-02T07:00:00Z"));
    }

    @Test
    void an_every_hour_schedule_does_not_move_a_skipped_time_to_the_end_of_the_gap() {
      // 02:30 does not exist; with every hour selected there is no extra fire at 03:00.
      assertThat(fires("30 * * * *", NY, "2025-03-09T06:00:00Z", 2))
          .isEqualTo(instants("2025-03-09T06:30:00Z", "2025-03-09T07:30:00Z"));
    }

    @Test
    void several_times_in_the_gap_fire_once_together_at_its_end() {
      assertThat(fires("*/15 2 * * *", NY, "2025-03-09T00:00:00Z", 2))
          .isEqualTo(instants("2025-03-09T07:00:00Z", "2025-03-10T06:00:00Z"));
      // 02:00 moves to 03:00, which is also a fire time of its own: one fire.
      assertThat(fires("0 2,3 * * *", NY, "2025-03-09T00:00:00Z", 2))
          .isEqualTo(instants("2025-03-09T07:00:00Z", "2025-03-10T06:00:00Z"));
      // The example in minimumInterval's javadoc: 03:00 and 03:05 EDT.
      assertThat(fires("5 2,3 * * *", NY, "2025-03-09T00:00:00Z", 2))
          .isEqualTo(instants("2025-03-09T07:00:00Z", "2025-03-09T07:05:00Z"));
    }

    @Test
    void a_fixed_hour_with_a_minute_step_fires_once_per_local_time_in_the_overlap() {
      assertThat(fires("*/15 1 * * *", NY, "2025-11-02T04:00:00Z", 5))
          .isEqualTo(
              instants(
                  "2025-11-02T05:00:00Z",
                  "2025-11-02T05:15:00Z",
                  "2025-11-02T05:30:00Z",
                  "2025-11-02T05:45:00Z",
                  "2025-11-03T06:00:00Z"));
    }

    @Test
    void a_seconds_step_keeps_real_time_cadence_over_spring_forward() {
      List<Instant> fires = fires("*/20 * * * * *", NY, "2025-03-09T06:59:00Z", 6);
      assertThat(fires)
          .isEqualTo(
              instants(
                  "2025-03-09T06:59:20Z",
                  "2025-03-09T06:59:40Z",
                  "2025-03-09T07:00:00Z",
                  "2025-03-09T07:00:20Z",
                  "2025-03-09T07:00:40Z",
                  "2025-03-09T07:01:00Z"));
    }
  }

  /**
   * Spring forward 30 March 02:00 CET -> 03:00 CEST (01:00Z); fall back 26 October 03:00 CEST ->
   * 02:00 CET (01:00Z).
   */
  @Nested
  class Berlin {
    static final String BERLIN = "Europe/Berlin";

    @Test
    void a_daily_0230_runs_at_0300_on_spring_forward_day_and_once_on_fall_back_day() {
      assertThat(fires("30 2 * * *", BERLIN, "2025-03-29T12:00:00Z", 2))
          .isEqualTo(instants("2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"));
      assertThat(fires("30 2 * * *", BERLIN, "2025-10-25T12:00:00Z", 2))
          .isEqualTo(instants("2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"));
    }

    @Test
    void every_15_minutes_keeps_real_time_cadence_over_both_transitions() {
      List<Instant> spring = fires("*/15 * * * *", BERLIN, "2025-03-30T00:20:00Z", 6);
      assertThat(spring.get(0)).isEqualTo(Instant.parse("2025-03-30T00:30:00Z")); // 01:30 CET
      assertThat(spring.get(2)).isEqualTo(Instant.parse("2025-03-30T01:00:00Z")); // 03:00 CEST
      assertThat(gaps(spring)).containsOnly(Duration.ofMinutes(15));

      List<Instant> fall = fires("*/15 * * * *", BERLIN, "2025-10-26T00:40:00Z", 10);
      assertThat(fall.get(0)).isEqualTo(Instant.parse("2025-10-26T00:45:00Z")); // 02:45 CEST
      assertThat(fall.get(1)).isEqualTo(Instant.parse("2025-10-26T01:00:00Z")); // 02:00 CET
      assertThat(gaps(fall)).containsOnly(Duration.ofMinutes(15));
    }

    @Test
    void a_weekday_schedule_at_0215_runs_at_0300_on_spring_forward_sunday() {
      assertThat(fires("15 2 * * SUN", BERLIN, "2025-03-29T00:00:00Z", 2))
          .isEqualTo(instants("2025-03-30T01:00:00Z", "2025-04-06T00:15:00Z"));
    }
  }

  /**
   * Egypt has daylight saving again since 2023. Spring forward Friday 25 April 00:00 EET -> 01:00
   * EEST (24 April 22:00Z): midnight does not exist. Fall back at the end of Thursday 30 October
   * (24:00 EEST -> 23:00 EET, 21:00Z): 23:00-23:59 on Thursday happens twice.
   */
  @Nested
  class Cairo {
    static final String CAIRO = "Africa/Cairo";

    @Test
    void the_jdk_tzdata_knows_that_egypt_observes_daylight_saving_again() {
      assertThat(
              ZoneId.of(CAIRO).getRules().isDaylightSavings(Instant.parse("2025-07-01T00:00:00Z")))
          .isTrue();
    }

    @Test
    void a_daily_midnight_runs_at_0100_when_midnight_is_skipped() {
      assertThat(fires("@daily", CAIRO, "2025-04-23T12:00:00Z", 3))
          .isEqualTo(
              instants(
                  "2025-04-23T22:00:00Z", // Thu 00:00 EET
                  "2025-04-24T22:00:00Z", // Fri 01:00 EEST, the first instant after the gap
                  "2025-04-25T21:00:00Z")); // Sat 00:00 EEST
    }

    @Test
    void a_friday_only_schedule_in_the_skipped_midnight_hour_still_runs_on_friday() {
      assertThat(fires("30 0 * * FRI", CAIRO, "2025-04-20T00:00:00Z", 2))
          .isEqualTo(instants("2025-04-24T22:00:00Z", "2025-05-01T21:30:00Z"));
    }

    @Test
    void a_thursday_evening_time_in_the_repeated_hour_runs_once() {
      assertThat(fires("30 23 * * THU", CAIRO, "2025-10-30T12:00:00Z", 2))
          .isEqualTo(instants("2025-10-30T20:30:00Z", "2025-11-06T21:30:00Z"));
    }

    @Test
    void every_15_minutes_keeps_real_time_cadence_over_both_transitions() {
      List<Instant> spring = fires("*/15 * * * *", CAIRO, "2025-04-24T21:40:00Z", 6);
      assertThat(spring.get(1)).isEqualTo(Instant.parse("2025-04-24T22:00:00Z")); // 01:00 EEST
      assertThat(gaps(spring)).containsOnly(Duration.ofMinutes(15));

      List<Instant> fall = fires("*/15 * * * *", CAIRO, "2025-10-30T19:50:00Z", 10);
      assertThat(fall.get(0)).isEqualTo(Instant.parse("2025-10-30T20:00:00Z")); // 23:00 EEST
      assertThat(fall.get(4)).isEqualTo(Instant.parse("2025-10-30T21:00:00Z")); // 23:00 EET
      assertThat(gaps(fall)).containsOnly(Duration.ofMinutes(15));
    }
  }

  /**
   * A 30-minute shift. Fall back 6 April 02:00 +11:00 -> 01:30 +10:30 (5 April 15:00Z): 01:30-01:59
   * happens twice. Spring forward 5 October 02:00 +10:30 -> 02:30 +11:00 (4 October 15:30Z).
   */
  @Nested
  class LordHowe {
    static final String LORD_HOWE = "Australia/Lord_Howe";

    @Test
    void every_15_minutes_keeps_real_time_cadence_over_the_half_hour_spring_forward() {
      assertThat(fires("*/15 * * * *", LORD_HOWE, "2025-10-04T15:00:00Z", 3))
          .isEqualTo(
              instants(
                  "2025-10-04T15:15:00Z", // 01:45 +10:30
                  "2025-10-04T15:30:00Z", // 02:30 +11:00
                  "2025-10-04T15:45:00Z"));
    }

    @Test
    void every_15_minutes_fires_through_both_occurrences_of_the_repeated_half_hour() {
      assertThat(fires("*/15 * * * *", LORD_HOWE, "2025-04-05T14:20:00Z", 5))
          .isEqualTo(
              instants(
                  "2025-04-05T14:30:00Z", // 01:30 +11:00
                  "2025-04-05T14:45:00Z", // 01:45 +11:00
                  "2025-04-05T15:00:00Z", // 01:30 +10:30
                  "2025-04-05T15:15:00Z", // 01:45 +10:30
                  "2025-04-05T15:30:00Z")); // 02:00 +10:30
    }

    @Test
    void a_daily_time_in_the_half_hour_gap_runs_at_0230() {
      assertThat(fires("15 2 * * *", LORD_HOWE, "2025-10-04T00:00:00Z", 2))
          .isEqualTo(instants("2025-10-04T15:30:00Z", "2025-10-05T15:15:00Z"));
    }

    @Test
    void a_daily_time_in_the_repeated_half_hour_runs_once_at_the_earlier_offset() {
      assertThat(fires("45 1 * * *", LORD_HOWE, "2025-04-05T00:00:00Z", 2))
          .isEqualTo(instants("2025-04-05T14:45:00Z", "2025-04-06T15:15:00Z"));
    }

    @Test
    void whole_hour_schedules_see_one_90_minute_gap_at_each_transition() {
      assertThat(fires("0 * * * *", LORD_HOWE, "2025-10-04T14:00:00Z", 2))
          .isEqualTo(instants("2025-10-04T14:30:00Z", "2025-10-04T16:00:00Z")); // 01:00, 03:00
      assertThat(fires("0 * * * *", LORD_HOWE, "2025-04-05T13:30:00Z", 2))
          .isEqualTo(instants("2025-04-05T14:00:00Z", "2025-04-05T15:30:00Z")); // 01:00, 02:00
    }
  }
}
