package dev.taskflow.web;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An RFC 9457 problem: thrown by a handler, written by {@link ProblemMapper}. Carries no stack
 * trace; it is an answer, not a bug.
 *
 * @see ProblemMapper for the status of every failure
 */
public final class Problem extends RuntimeException {
  /** The {@code type} URIs all start with this; the rest is a stable slug. */
  public static final String TYPE_PREFIX = "urn:taskflow:problem:";

  private final int status;
  private final String slug;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;
  private final Map<String, String> members;

  public Problem(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers) {
    this(status, slug, title, detail, errors, headers, Map.of());
  }

  /**
   * A problem with extension members (RFC 9457 section 3.2): more top-level fields of the body,
   * such as {@code feature}, written after {@code instance}.
   */
  public Problem(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers,
      Map<String, String> members) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
    this.members = new TreeMap<>(members);
  }

  /**
   * A problem with one error, on a header, a path or query parameter, or the method, whose message
   * is the detail: the shape of every refusal that is about the request rather than its body.
   */
  public static Problem onParameter(
      int status,
      String slug,
      String title,
      String parameter,
      String code,
      String detail,
      Map<String, String> headers) {
    return new Problem(
        status, slug, title, detail, List.of(FieldError.param(parameter, code, detail)), headers);
  }

  /** 400: the body is not JSON. */
  public static Problem malformed(String pointer, String message) {
    return malformed(pointer, "malformed_json", message);
  }

  /** 400 with a rule code of its own ({@code invalid_utf8}, {@code lone_surrogate}). */
  public static Problem malformed(String pointer, String code, String message) {
    return new Problem(
        400,
        "malformed-json",
        "Malformed JSON",
        "The request body is not valid JSON: " + message,
        List.of(FieldError.at(pointer, code, message)),
        Map.of());
  }

  /** 422: well-formed, but breaks a rule; one entry per broken rule. */
  public static Problem invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().message()
            : errors.size() + " fields are invalid; see errors";
    return new Problem(422, "invalid-request", "Invalid request", detail, errors, Map.of());
  }

  public static Problem invalid(FieldError error) {
    return invalid(List.of(error));
  }

  /** 404 with the parameter that named the missing thing. */
  public static Problem notFound(String parameter, String detail) {
    return new Problem(
        404,
        "not-found",
        "Not found",
        detail,
        List.of(FieldError.param(parameter, "not_found", detail)),
        Map.of());
  }

  /** 413: the body is larger than the configured limit. */
  public static Problem tooLarge(long limit, String what) {
    String detail = "The request body is " + what + "; the limit is " + limit + " bytes";
    return new Problem(
        413,
        "body-too-large",
        "Request body too large",
        detail,
        List.of(FieldError.at("", "max_size", detail)),
        Map.of());
  }

  /** 415: POST bodies must be {@code application/json}. */
  public static Problem unsupportedMediaType(String got) {
    String detail =
        "Send the body as application/json (UTF-8), not "
            + (got == null ? "without a Content-Type" : "'" + ProblemMapper.shorten(got) + "'");
    return new Problem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        detail,
        List.of(FieldError.param("Content-Type", "media_type", detail)),
        Map.of());
  }

  public int status() {
    return status;
  }

  /** The full {@code type} URI. */
  public String type() {
    return TYPE_PREFIX + slug;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Extra response headers, e.g. {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Extension members of the body, in name order; empty for most problems. */
  public Map<String, String> members() {
    return Collections.unmodifiableMap(members);
  }
}
