package dev.taskflow.cron;

/**
 * A cron expression that {@link CronExpression#parse(String)} refused. The message names the
 * expression, the field, the offending text and the rule, for example:
 *
 * <pre>{@code
 * cron expression "61 * * * *": minute "61" is out of range 0-59 (rule out_of_range)
 * }</pre>
 *
 * <p>{@link #field()} is one of {@code second}, {@code minute}, {@code hour}, {@code day-of-month},
 * {@code month}, {@code day-of-week}, or {@code expression} when the expression as a whole is wrong
 * (empty, wrong number of fields, unknown macro). {@link #rule()} is one of:
 *
 * <ul>
 *   <li>{@code empty}: the expression is blank;
 *   <li>{@code field_count}: not 5 or 6 fields (or a macro followed by more text);
 *   <li>{@code unknown_macro}: an {@code @name} that is not a known macro;
 *   <li>{@code unsupported_macro}: {@code @reboot}, which has no meaning for a durable schedule;
 *   <li>{@code bad_value}: not a number or name where one is expected (also an empty list item, or
 *       {@code ?} / {@code L} outside the day fields);
 *   <li>{@code unknown_name}: a name that is not a month (JAN-DEC) or day (SUN-SAT) name, or a name
 *       in a field that takes none;
 *   <li>{@code out_of_range}: a number outside the field's range;
 *   <li>{@code bad_range}: a range whose start is after its end, or with a missing side;
 *   <li>{@code bad_step}: a step that is not a whole number from 1 to the field's span.
 * </ul>
 */
public final class CronSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final String field;
  private final String value;
  private final String rule;

  CronSyntaxException(String expression, String field, String value, String rule, String problem) {
    super(
        "cron expression \""
            + expression
            + "\": "
            + field
            + " \""
            + value
            + "\" "
            + problem
            + " (rule "
            + rule
            + ")");
    this.expression = expression;
    this.field = field;
    this.value = value;
    this.rule = rule;
  }

  /** The whole expression as given to {@link CronExpression#parse(String)}. */
  public String expression() {
    return expression;
  }

  /**
   * {@code "second"}, {@code "minute"}, {@code "hour"}, {@code "day-of-month"}, {@code "month"},
   * {@code "day-of-week"}, or {@code "expression"}.
   */
  public String field() {
    return field;
  }

  /** The offending text: the field item (e.g. {@code "61"}), or the whole expression. */
  public String value() {
    return value;
  }

  /** A short machine-friendly rule, e.g. {@code "out_of_range"}; see the class comment. */
  public String rule() {
    return rule;
  }
}
