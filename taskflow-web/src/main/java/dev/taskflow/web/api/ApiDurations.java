package dev.taskflow.web.api;

import dev.taskflow.web.FieldError;
import dev.taskflow.web.ProblemMapper;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The one reading of an ISO-8601 duration in a request body, for every route: a duration must
 * parse, be whole milliseconds (the engine keeps milliseconds: {@code PT0.0001S} would silently
 * become no timeout at all), and stay within 100 years either way (so no later arithmetic on it can
 * overflow into a server error). Each route then applies its own range.
 */
final class ApiDurations {
  static final Duration MAX = Duration.ofDays(36_500);

  private ApiDurations() {}

  /**
   * Parses {@code text}, the value of the field at {@code pointer}; on a broken rule adds an error
   * and returns null.
   *
   * @param example a duration to show in the format message, e.g. {@code PT30S}
   */
  static Duration parse(
      String text, String pointer, String field, String example, List<FieldError> errors) {
    Duration d;
    try {
      d = Duration.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      errors.add(
          FieldError.at(
              pointer,
              "format",
              field
                  + " must be an ISO-8601 duration, e.g. "
                  + example
                  + ", was '"
                  + ProblemMapper.shorten(text)
                  + "'"));
      return null;
    }
    if (d.compareTo(MAX) > 0 || d.compareTo(MAX.negated()) < 0) { // abs() overflows at the minimum
      errors.add(
          FieldError.at(
              pointer,
              "range",
              field
                  + " must be within 100 years (P36500D), was '"
                  + ProblemMapper.shorten(text)
                  + "'"));
      return null;
    }
    if (d.getNano() % 1_000_000 != 0) {
      errors.add(
          FieldError.at(
              pointer,
              "precision",
              field
                  + " must be whole milliseconds (TaskFlow keeps durations to the millisecond), was '"
                  + ProblemMapper.shorten(text)
                  + "'"));
      return null;
    }
    return d;
  }
}
