package dev.taskflow.web;

import java.util.Collection;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a problem's {@code errors}: what is wrong, and where.
 *
 * <p>Exactly one of {@code pointer} and {@code parameter} is set: {@code pointer} is an RFC 6901
 * JSON pointer into the request body ({@code /jobs/3/priority}); {@code parameter} names a path or
 * query parameter ({@code limit}, {@code id}) or a header ({@code Last-Event-ID}).
 *
 * @param pointer where in the body, or null
 * @param parameter which parameter, or null
 * @param code a short stable code, e.g. {@code range}, {@code type}, {@code unknown_field}
 * @param message a sentence for a person
 */
public record FieldError(String pointer, String parameter, String code, String message) {

  /** An error in the request body at {@code pointer}. */
  public static FieldError at(String pointer, String code, String message) {
    return new FieldError(pointer, null, code, message);
  }

  /** An error in a path or query parameter. */
  public static FieldError param(String parameter, String code, String message) {
    return new FieldError(null, parameter, code, message);
  }

  /** The pointer of a field under a parent pointer, escaped per RFC 6901. */
  public static String child(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  /**
   * Adds an {@code unknown_field} error for each member of {@code object} (found at {@code at})
   * that is not in {@code allowed}: a request field is never silently ignored. The message names
   * the field and ends with {@code hint} (what the object has), e.g. {@code "a limit has name,
   * max"}.
   */
  public static void unknownFields(
      JsonNode object,
      String at,
      Collection<String> allowed,
      String hint,
      List<FieldError> errors) {
    for (String name : object.propertyNames()) {
      if (!allowed.contains(name)) {
        errors.add(
            at(
                child(at, name),
                "unknown_field",
                "unknown field '" + ProblemMapper.shorten(name) + "'; " + hint));
      }
    }
  }

  /** {@code "name, other, …"}: the allowed fields, sorted, for a hint. */
  public static String listed(Collection<String> fields) {
    return String.join(", ", fields.stream().sorted().toList());
  }

  /** The pointer of an array element under a parent pointer. */
  public static String child(String parent, int index) {
    return parent + "/" + index;
  }
}
