package dev.taskflow;

import java.util.regex.Pattern;

/**
 * The one rule for names in TaskFlow — job types, queues, resources, limits, schedule ids, worker
 * ids, event types — and the one message shape when a name breaks it.
 *
 * {@snippet :
 * Names.Problem p = Names.check("queue", "bad queue", Names.MAX_QUEUE_LENGTH);
 * // p.rule() = "pattern", p.message() = "queue must be 1..64 characters: letters, digits and
 * //   _ . : - starting with a letter or digit; was 'bad queue'"
 * }
 */
public final class Names {
  /** Letters, digits and {@code _ . : -}, starting with a letter or digit. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

  /** The longest job type, worker id or event type. */
  public static final int MAX_TYPE_LENGTH = 128;

  /** The longest queue, resource or limit name. */
  public static final int MAX_QUEUE_LENGTH = 64;

  private static final int SHOWN = 80;

  private Names() {}

  /**
   * What is wrong with a name.
   *
   * @param rule {@code required}, {@code length} or {@code pattern}
   * @param message names the thing, the rule and the value
   */
  public record Problem(String rule, String message) {}

  /** Why {@code value} is not a valid {@code what}, or null when it is valid. */
  public static Problem check(String what, String value, int max) {
    if (value != null && !value.isEmpty() && value.length() <= max) {
      if (PATTERN.matcher(value).matches()) return null;
    }
    String rule =
        value == null || value.isEmpty() ? "required" : value.length() > max ? "length" : "pattern";
    return new Problem(
        rule,
        what
            + " must be 1.."
            + max
            + " characters: letters, digits and _ . : - starting with a letter or digit; was "
            + shown(value));
  }

  /**
   * Returns {@code value} when valid, for builders and other Java configuration.
   *
   * @throws IllegalArgumentException with the message of {@link #check}
   */
  public static String requireArgument(String what, String value, int max) {
    Problem p = check(what, value, max);
    if (p != null) throw new IllegalArgumentException(p.message());
    return value;
  }

  /**
   * Returns {@code value} when valid, for input that arrives with a request.
   *
   * @param field the request field, as in {@link InvalidJobException#field()}
   * @param jobType the job the field belongs to, or null
   * @throws InvalidJobException naming the field, the rule and the value
   */
  public static String require(String field, String what, String value, int max, String jobType) {
    Problem p = check(what, value, max);
    if (p != null) throw new InvalidJobException(field, p.rule(), jobType, p.message());
    return value;
  }

  /**
   * Like {@link #require}, with the one rule {@code pattern} for every bad name (missing and too
   * long included): for the fields whose API has always answered so.
   */
  public static String requireMatch(String field, String what, String value, int max) {
    Problem p = check(what, value, max);
    if (p != null) throw new InvalidJobException(field, "pattern", null, p.message());
    return value;
  }

  private static String shown(String value) {
    if (value == null) return "nothing";
    if (value.isEmpty()) return "''";
    String s = value.length() > SHOWN ? value.substring(0, SHOWN) + "…" : value;
    StringBuilder out = new StringBuilder("'");
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) out.append(String.format("\\u%04x", c));
              else out.appendCodePoint(c);
            });
    return out.append('\'').toString();
  }
}
