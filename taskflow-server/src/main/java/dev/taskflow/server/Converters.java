package dev.taskflow.server;

import dev.taskflow.RetryPriority;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** The converters of the CLI's option types, registered once for every command. */
final class Converters {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Converters() {}

  /** Registers every converter with the command line and all its subcommands. */
  static CommandLine registerAll(CommandLine cl) {
    return cl.registerConverter(Duration.class, Converters::duration)
        .registerConverter(OffsetDateTime.class, Converters::offsetDateTime)
        .registerConverter(RetryPriority.class, Converters::retryPriority)
        .registerConverter(StoreSpec.class, StoreSpec::parse)
        .registerConverter(ResourceSpec.class, ResourceSpec::parse);
  }

  /** ISO-8601 ({@code PT30S}) or a short form: {@code 500ms}, {@code 30s}, {@code 5m}, ... */
  static Duration duration(String value) {
    String v = value.strip();
    Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a duration: use ISO-8601 such as PT30S or PT5M, or 500ms/30s/5m/2h/1d");
    }
  }

  /** {@code keep}, {@code fixed:N} or {@code lower-by:N}, as {@link RetryPriority} offers. */
  static RetryPriority retryPriority(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    String usage =
        "'"
            + value
            + "' is not a retry priority: use keep, fixed:N (-100..100) or lower-by:N (1..200)";
    try {
      if (v.equals("keep")) return RetryPriority.keep();
      if (v.startsWith("fixed:")) return RetryPriority.fixed(Integer.parseInt(v.substring(6)));
      if (v.startsWith("lower-by:")) return RetryPriority.lowerBy(Integer.parseInt(v.substring(9)));
    } catch (IllegalArgumentException e) {
      // a number that is not one, or out of range: the usage, with the range's message
      String why = e instanceof NumberFormatException ? "" : " (" + e.getMessage() + ")";
      throw new TypeConversionException(usage + why);
    }
    throw new TypeConversionException(usage);
  }

  /** An instant with an explicit offset, e.g. {@code 2026-01-01T10:00:00Z} or {@code ...+02:00}. */
  static OffsetDateTime offsetDateTime(String value) {
    try {
      return OffsetDateTime.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a date-time with an offset, e.g. 2026-01-01T10:00:00Z or"
              + " 2026-01-01T12:00:00+02:00");
    }
  }
}
