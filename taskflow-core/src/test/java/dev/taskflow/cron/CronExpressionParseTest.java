package dev.taskflow.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing: what each syntax means (checked through its fire times) and every refusal. */
class CronExpressionParseTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z"); // a Wednesday

  private static List<Instant> fires(String expression, int n) {
    return CronExpression.parse(expression).nextFires(START, UTC, n);
  }

  private static List<Instant> instants(String... texts) {
    return java.util.Arrays.stream(texts).map(Instant::parse).toList();
  }

  @ParameterizedTest(name = "\"{0}\" fires like \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "@yearly          | 0 0 1 1 *",
        "@annually        | 0 0 1 1 *",
        "@monthly         | 0 0 1 * *",
        "@weekly          | 0 0 * * 0",
        "@daily           | 0 0 * * *",
        "@midnight        | 0 0 * * *",
        "@hourly          | 0 * * * *",
        "@DAILY           | 0 0 * * *",
        "0 0 * jan-mar *  | 0 0 * 1-3 *",
        "0 0 * * MON-FRI  | 0 0 * * 1-5",
        "0 0 * * sun      | 0 0 * * 0",
        "0 0 * * 7        | 0 0 * * 0",
        "0 0 * * 5-7      | 0 0 * * 0,5,6",
        "0 0 ? * 1        | 0 0 * * 1",
        "0 0 1 * ?        | 0 0 1 * *",
        "*/20 * * * *     | 0,20,40 * * * *",
        "10/20 * * * *    | 10,30,50 * * * *",
        "10-40/15 * * * * | 10,25,40 * * * *",
        "0 0 * */5 *      | 0 0 * 1,6,11 *",
        "0 0 * JAN-DEC/6 * | 0 0 * 1,7 *",
        "0 * * * * *      | * * * * *",
        "0 0 12 * * *     | 0 12 * * *",
        "'  0   12\t* * * ' | 0 12 * * *",
      })
  void equivalent_expressions_fire_at_the_same_instants(String expression, String same) {
    assertThat(fires(expression, 30)).isEqualTo(fires(same, 30)).hasSize(30);
  }

  @Test
  void a_six_field_expression_has_a_leading_seconds_field() {
    assertThat(fires("*/20 * * * * *", 4))
        .isEqualTo(
            instants(
                "2025-01-01T00:00:20Z",
                "2025-01-01T00:00:40Z",
                "2025-01-01T00:01:00Z",
                "2025-01-01T00:01:20Z"));
  }

  @Test
  void day_of_month_and_day_of_week_both_restricted_match_either_one() {
    // Vixie cron: the 1st, the 15th and every Monday. January 2025: Mondays are 6, 13, 20, 27.
    assertThat(fires("0 0 1,15 * MON", 6))
        .isEqualTo(
            instants(
                "2025-01-06T00:00:00Z",
                "2025-01-13T00:00:00Z",
                "2025-01-15T00:00:00Z",
                "2025-01-20T00:00:00Z",
                "2025-01-27T00:00:00Z",
                "2025-02-01T00:00:00Z"));
  }

  @Test
  void a_day_field_starting_with_a_star_makes_the_days_match_both() {
    // */2 starts with '*', so (as in Vixie cron) a day must be odd AND a Monday: 13 and 27 Jan.
    assertThat(fires("0 0 */2 * MON", 2))
        .isEqualTo(instants("2025-01-13T00:00:00Z", "2025-01-27T00:00:00Z"));
  }

  @Test
  void L_is_the_last_day_of_each_month() {
    assertThat(fires("0 0 L * *", 3))
        .isEqualTo(
            instants("2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z"));
    assertThat(
            CronExpression.parse("0 0 l 2 *").nextAfter(Instant.parse("2028-01-01T00:00:00Z"), UTC))
        .contains(Instant.parse("2028-02-29T00:00:00Z"));
  }

  @Test
  void the_expression_is_kept_as_given_for_equals_hash_code_and_to_string() {
    CronExpression a = CronExpression.parse(" 0 0 * * * ");
    assertThat(a.expression()).isEqualTo(" 0 0 * * * ");
    assertThat(a).hasToString(" 0 0 * * * ");
    assertThat(a).isEqualTo(CronExpression.parse(" 0 0 * * * "));
    assertThat(a).hasSameHashCodeAs(CronExpression.parse(" 0 0 * * * "));
    assertThat(a).isNotEqualTo(CronExpression.parse("0 0 * * *"));
  }

  @ParameterizedTest(name = "\"{0}\" is at least {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "* * * * * *         | PT1S",
        "*/10 * * * * *      | PT10S",
        "0,1 0 * * * *       | PT1S",
        "* * * * *           | PT1M",
        "*/15 * * * *        | PT15M",
        "0,50 * * * *        | PT10M",
        "0 * * * *           | PT1H",
        "0 9,17 * * *        | PT8H",
        "59 23 * * *         | PT24H",
        "0 0 * * MON         | P7D",
        "0 0 1 * *           | P28D",
        "0 0 1 1 *           | P365D",
        "0 0 29 2 *          | P1461D",
        "0 0 L * *           | P28D",
        "0 0 1,15 * MON      | P1D",
        "0,30 0 * * 1,2      | PT30M",
      })
  void the_minimum_interval_is_the_smallest_local_gap_between_fires(
      String expression, Duration expected) {
    assertThat(CronExpression.parse(expression).minimumInterval()).isEqualTo(expected);
  }

  @Test
  void an_expression_that_never_fires_has_an_infinite_minimum_interval() {
    assertThat(CronExpression.parse("0 0 30 2 *").minimumInterval())
        .isEqualTo(ChronoUnit.FOREVER.getDuration());
  }

  @ParameterizedTest(name = "\"{0}\" -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // expression          | field        | rule              | value named in the message
        "''                    | expression   | empty             | ''",
        "'   '                 | expression   | empty             | '   '",
        "* * * *               | expression   | field_count       | * * * *",
        "* * * * * * *         | expression   | field_count       | * * * * * * *",
        "@reboot               | expression   | unsupported_macro | @reboot",
        "@every_5m             | expression   | unknown_macro     | @every_5m",
        "@daily *              | expression   | field_count       | @daily *",
        "60 * * * *            | minute       | out_of_range      | 60",
        "* 24 * * *            | hour         | out_of_range      | 24",
        "* * 0 * *             | day-of-month | out_of_range      | 0",
        "* * 32 * *            | day-of-month | out_of_range      | 32",
        "* * * 13 *            | month        | out_of_range      | 13",
        "* * * 0 *             | month        | out_of_range      | 0",
        "* * * * 8             | day-of-week  | out_of_range      | 8",
        "60 * * * * *          | second       | out_of_range      | 60",
        "99999999999 * * * *   | minute       | out_of_range      | 99999999999",
        "*/0 * * * *           | minute       | bad_step          | */0",
        "*/61 * * * *          | minute       | bad_step          | */61",
        "*/x * * * *           | minute       | bad_step          | */x",
        "*/ * * * *            | minute       | bad_step          | */",
        "1-5/2/3 * * * *       | minute       | bad_step          | 1-5/2/3",
        "* * * * */-1          | day-of-week  | bad_step          | */-1",
        "30-10 * * * *         | minute       | bad_range         | 30-10",
        "* * * * FRI-SUN       | day-of-week  | bad_range         | FRI-SUN",
        "-5 * * * *            | minute       | bad_range         | -5",
        "5- * * * *            | minute       | bad_range         | 5-",
        "* * * FOO *           | month        | unknown_name      | FOO",
        "* * * MON *           | month        | unknown_name      | MON",
        "* * * * JAN           | day-of-week  | unknown_name      | JAN",
        "* * * * MONDAY        | day-of-week  | unknown_name      | MONDAY",
        "abc * * * *           | minute       | unknown_name      | abc",
        "1,,2 * * * *          | minute       | bad_value         | 1,,2",
        "1, * * * *            | minute       | bad_value         | '1,'",
        "? * * * *             | minute       | bad_value         | ?",
        "* * * ? *             | month        | bad_value         | ?",
        "* L * * *             | hour         | bad_value         | L",
        "* * * * L             | day-of-week  | bad_value         | L",
        "1.5 * * * *           | minute       | bad_value         | 1.5",
        "+5 * * * *            | minute       | bad_value         | +5",
        "*-5 * * * *           | minute       | bad_value         | *-5",
        "* * L/2 * *           | day-of-month | bad_value         | L/2",
        "# * * * *             | minute       | bad_value         | #",
      })
  void a_bad_expression_names_the_field_the_rule_and_the_offending_text(
      String expression, String field, String rule, String value) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .isInstanceOfSatisfying(
            CronSyntaxException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.rule()).isEqualTo(rule);
              assertThat(e.value()).isEqualTo(value);
              assertThat(e.expression()).isEqualTo(expression);
              assertThat(e.getMessage())
                  .contains("\"" + expression + "\"")
                  .contains(field + " \"" + value + "\"")
                  .contains("(rule " + rule + ")");
            });
  }

  @Test
  void a_bad_value_message_says_what_is_allowed() {
    assertThatThrownBy(() -> CronExpression.parse("61 * * * *"))
        .hasMessage(
            "cron expression \"61 * * * *\": minute \"61\" is out of range 0-59 (rule"
                + " out_of_range)");
    assertThatThrownBy(() -> CronExpression.parse("* * * * FRI-SUN"))
        .hasMessageContaining("start 5 is after its end 0")
        .hasMessageContaining("FRI,SAT,SUN");
    assertThatThrownBy(() -> CronExpression.parse("@reboot")).hasMessageContaining("no boot event");
    assertThatThrownBy(() -> CronExpression.parse("* * * *"))
        .hasMessageContaining("has 4 fields; expected 5");
  }

  @Test
  void a_null_expression_is_a_null_pointer() {
    assertThatThrownBy(() -> CronExpression.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("cron expression");
  }
}
