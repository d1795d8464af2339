package dev.taskflow.cron;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the text of a cron expression into {@link CronFields}; every refusal is precise. */
final class CronParser {
  private CronParser() {}

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final List<String> MONTH_NAMES =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAY_NAMES =
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** One field's name, numeric range and optional names (the name at index i has value base+i). */
  private record Spec(String name, int min, int max, List<String> names, int namesBase) {
    boolean isDayField() {
      return name.equals("day-of-month") || name.equals("day-of-week");
    }
  }

  private static final Spec SECOND = new Spec("second", 0, 59, List.of(), 0);
  private static final Spec MINUTE = new Spec("minute", 0, 59, List.of(), 0);
  private static final Spec HOUR = new Spec("hour", 0, 23, List.of(), 0);
  private static final Spec DAY_OF_MONTH = new Spec("day-of-month", 1, 31, List.of(), 0);
  private static final Spec MONTH = new Spec("month", 1, 12, MONTH_NAMES, 1);
  // 0 and 7 are both Sunday; 7 is folded into 0 after parsing.
  private static final Spec DAY_OF_WEEK = new Spec("day-of-week", 0, 7, DAY_NAMES, 0);

  /** A parsed field: the matching values as bits, whether it starts with '*' or is '?', and 'L'. */
  private record Field(long bits, boolean star, boolean lastDay) {}

  static CronFields parse(String expression) {
    String text = expression.strip();
    if (text.isEmpty()) {
      throw error(expression, "expression", expression, "empty", "is empty");
    }
    String[] parts = text.split("\\s+");
    if (parts[0].startsWith("@")) {
      if (parts.length > 1) {
        throw error(
            expression,
            "expression",
            expression,
            "field_count",
            "has text after the macro " + parts[0] + "; a macro stands alone");
      }
      String macro = parts[0].toLowerCase(Locale.ROOT);
      if (macro.equals("@reboot")) {
        throw error(
            expression,
            "expression",
            parts[0],
            "unsupported_macro",
            "is not supported: a durable schedule has no boot event (enqueue the job at start-up"
                + " instead)");
      }
      String expanded = MACROS.get(macro);
      if (expanded == null) {
        throw error(
            expression,
            "expression",
            parts[0],
            "unknown_macro",
            "is not a known macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight,"
                + " @hourly)");
      }
      parts = expanded.split(" ");
    }
    if (parts.length != 5 && parts.length != 6) {
      throw error(
          expression,
          "expression",
          expression,
          "field_count",
          "has "
              + parts.length
              + " fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (a leading"
              + " second, then those 5)");
    }
    int i = 0;
    long seconds = parts.length == 6 ? field(expression, SECOND, parts[i++]).bits : 1L;
    long minutes = field(expression, MINUTE, parts[i++]).bits;
    long hours = field(expression, HOUR, parts[i++]).bits;
    Field dom = field(expression, DAY_OF_MONTH, parts[i++]);
    long months = field(expression, MONTH, parts[i++]).bits;
    Field dow = field(expression, DAY_OF_WEEK, parts[i]);
    long dowBits = dow.bits;
    if ((dowBits & (1L << 7)) != 0) {
      dowBits = (dowBits & ~(1L << 7)) | 1L;
    }
    return new CronFields(
        seconds, minutes, hours, dom.bits, dom.lastDay, months, dowBits, dom.star || dow.star);
  }

  private static Field field(String expression, Spec spec, String text) {
    if (text.equals("?")) {
      if (!spec.isDayField()) {
        throw error(
            expression,
            spec.name,
            text,
            "bad_value",
            "is not allowed here; '?' is accepted only in day-of-month and day-of-week");
      }
      return new Field(range(spec.min, spec.max, 1), true, false);
    }
    long bits = 0;
    boolean lastDay = false;
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw error(expression, spec.name, text, "bad_value", "has an empty list item");
      }
      if (item.equalsIgnoreCase("L")) {
        if (spec != DAY_OF_MONTH) {
          throw error(
              expression,
              spec.name,
              item,
              "bad_value",
              "is not allowed here; 'L' (last day of the month) is accepted only in day-of-month");
        }
        lastDay = true;
        continue;
      }
      bits |= item(expression, spec, item);
    }
    return new Field(bits, text.startsWith("*"), lastDay);
  }

  /** One list item: {@code *}, {@code a}, {@code a-b}, each optionally followed by {@code /n}. */
  private static long item(String expression, Spec spec, String item) {
    int slash = item.indexOf('/');
    String base = slash < 0 ? item : item.substring(0, slash);
    int step = 1;
    if (slash >= 0) {
      String stepText = item.substring(slash + 1);
      int span = spec.max - spec.min + 1;
      if (!isDigits(stepText) || stepText.length() > 4) {
        throw error(
            expression,
            spec.name,
            item,
            "bad_step",
            "has a step that is not a whole number from 1 to " + span);
      }
      step = Integer.parseInt(stepText);
      if (step < 1 || step > span) {
        throw error(
            expression,
            spec.name,
            item,
            "bad_step",
            "has step " + step + "; a step must be from 1 to " + span);
      }
    }
    int from;
    int to;
    if (base.equals("*")) {
      from = spec.min;
      to = spec.max;
    } else {
      int dash = base.indexOf('-');
      if (dash < 0) {
        from = value(expression, spec, base, item);
        to = slash >= 0 ? spec.max : from;
      } else {
        String a = base.substring(0, dash);
        String b = base.substring(dash + 1);
        if (a.isEmpty() || b.isEmpty()) {
          throw error(
              expression, spec.name, item, "bad_range", "is not a range; expected start-end");
        }
        from = value(expression, spec, a, item);
        to = value(expression, spec, b, item);
        if (from > to) {
          String hint =
              spec == DAY_OF_WEEK
                  ? " (to wrap past Saturday, list the days, e.g. 5-7 or FRI,SAT,SUN)"
                  : "";
          throw error(
              expression,
              spec.name,
              item,
              "bad_range",
              "is a range whose start " + from + " is after its end " + to + hint);
        }
      }
    }
    return range(from, to, step);
  }

  private static int value(String expression, Spec spec, String token, String item) {
    if (isDigits(token)) {
      int v = token.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(token);
      if (v < spec.min || v > spec.max) {
        throw error(
            expression,
            spec.name,
            token,
            "out_of_range",
            "is out of range " + spec.min + "-" + spec.max);
      }
      return v;
    }
    if (spec == DAY_OF_MONTH && token.equalsIgnoreCase("L")) {
      throw error(
          expression,
          spec.name,
          item,
          "bad_value",
          "puts L in a range or step; L (the last day of the month) stands alone");
    }
    if (isLetters(token)) {
      int index = spec.names.indexOf(token.toUpperCase(Locale.ROOT));
      if (index >= 0) {
        return spec.namesBase + index;
      }
      throw error(
          expression,
          spec.name,
          token,
          "unknown_name",
          spec.names.isEmpty()
              ? "is a name, but " + spec.name + " takes numbers only"
              : "is not a " + spec.name + " name (" + String.join(", ", spec.names) + ")");
    }
    throw error(
        expression,
        spec.name,
        item,
        "bad_value",
        "is not a number"
            + (spec.names.isEmpty() ? "" : " or name")
            + ", a range a-b, '*' or a step x/n");
  }

  private static long range(int from, int to, int step) {
    long bits = 0;
    for (int v = from; v <= to; v += step) {
      bits |= 1L << v;
    }
    return bits;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  private static boolean isLetters(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }

  private static CronSyntaxException error(
      String expression, String field, String value, String rule, String problem) {
    return new CronSyntaxException(expression, field, value, rule, problem);
  }
}
