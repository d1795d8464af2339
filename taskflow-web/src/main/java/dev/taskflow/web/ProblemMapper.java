package dev.taskflow.web;

import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.InvalidJobException;
import dev.taskflow.InvalidLimitException;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.LeaseLostException;
import dev.taskflow.QueueFullException;
import dev.taskflow.RecurringNotFoundException;
import dev.taskflow.StorageException;
import dev.taskflow.WebhookNotFoundException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP status and an RFC 9457 body ({@code
 * application/problem+json}).
 *
 * <ul>
 *   <li>{@link Problem}: as thrown (400 malformed JSON, 413, 415, 422, 404 ...)
 *   <li>{@link InvalidJobException}: 422, its field as the JSON pointer and its rule as the code
 *   <li>{@link JobNotFoundException}, {@link WebhookNotFoundException}, {@link
 *       RecurringNotFoundException}: 404
 *   <li>{@link IllegalTransitionException}: 409
 *   <li>{@link QueueFullException}: 429 with {@code Retry-After}
 *   <li>{@link StorageException}: 503 with {@code Retry-After}
 *   <li>{@link FeatureUnsupportedException}: 501, with the feature as the member {@code feature}
 *   <li>anything else: 500, logged with a reference that the body repeats; no stack trace leaves
 *       the server
 * </ul>
 */
public final class ProblemMapper {
  /** The media type of every problem. */
  public static final String CONTENT_TYPE = "application/problem+json";

  private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);
  private static final int MAX_ECHO = 200;

  private final ApiJson json;

  /** Problems written as {@code json} writes them. */
  public ProblemMapper(ApiJson json) {
    this.json = json;
  }

  /** Writes the problem for {@code failure}, or only logs it when the response is under way. */
  public void respond(Context ctx, Exception failure) {
    Problem p = toProblem(ctx, failure);
    if (ctx.res().isCommitted()) {
      log.debug(
          "taskflow-web: {} {} failed after the response started: {}",
          ctx.method(),
          ctx.path(),
          failure.toString());
      return;
    }
    ctx.status(p.status());
    p.headers().forEach(ctx::header);
    ctx.contentType(CONTENT_TYPE);
    ctx.result(body(ctx, p));
  }

  /** The problem+json body of {@code p}, for a request to {@code ctx}'s path. */
  public byte[] body(Context ctx, Problem p) {
    return json.write(json.problem(p, ctx.path())).getBytes(StandardCharsets.UTF_8);
  }

  /** The problem {@code failure} answers as (see the table above); logs a 500. */
  public Problem toProblem(Context ctx, Exception failure) {
    return switch (failure) {
      case Problem p -> p;
      case InvalidJobException e ->
          Problem.invalid(FieldError.at(pointer(e.field()), e.rule(), shorten(e.getMessage())));
      case InvalidLimitException e ->
          Problem.invalid(
              e.violations().stream()
                  .map(v -> FieldError.at(pointer(v.field()), v.rule(), shorten(v.message())))
                  .toList());
      case JobNotFoundException e -> Problem.notFound("id", e.getMessage());
      case WebhookNotFoundException e -> Problem.notFound("id", e.getMessage());
      case RecurringNotFoundException e -> Problem.notFound("id", e.getMessage());
      case IllegalTransitionException e -> conflict(e);
      case LeaseLostException e ->
          new Problem(
              409,
              "lease-lost",
              "Lease lost",
              shorten(e.getMessage()),
              List.of(FieldError.at("/leaseToken", "lease_lost", shorten(e.getMessage()))),
              Map.of());
      case StorageException e -> unavailable(ctx, e);
      case FeatureUnsupportedException e -> unsupported(e);
      case QueueFullException e -> queueFull(e);
      case HttpResponseException e ->
          new Problem(
              e.getStatus(),
              "http-" + e.getStatus(),
              shorten(e.getMessage()),
              "",
              List.of(),
              Map.of());
      default -> internal(ctx, failure);
    };
  }

  /** A core validation error about a query or path parameter rather than a body field. */
  public static Problem asParameter(InvalidJobException e, String parameter) {
    return Problem.invalid(FieldError.param(parameter, e.rule(), shorten(e.getMessage())));
  }

  /** Core field names ({@code jobs/3/priority}) as JSON pointers ({@code /jobs/3/priority}). */
  public static String pointer(String field) {
    if (field == null || field.isEmpty()) return "";
    return field.startsWith("/") ? field : "/" + field;
  }

  /** Keeps echoed input short; the JSON encoder escapes whatever is left. */
  public static String shorten(String s) {
    if (s == null) return null;
    return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "…";
  }

  private static Problem conflict(IllegalTransitionException e) {
    String detail = shorten(e.getMessage());
    return new Problem(
        409,
        "illegal-transition",
        "Illegal state change",
        detail,
        List.of(FieldError.param("id", "illegal_transition", detail)),
        Map.of());
  }

  /** 429: the queue is at its maximum depth; nothing was stored. */
  private static Problem queueFull(QueueFullException e) {
    String detail = shorten(e.getMessage());
    long seconds = Math.max(1, e.retryAfter().toSeconds());
    return new Problem(
        429,
        "queue-full",
        "Queue full",
        detail,
        List.of(FieldError.param("queue", "queue_full", detail)),
        Map.of("Retry-After", Long.toString(seconds)));
  }

  /**
   * 501: the store does not keep the feature the request needs (a store with only the core SPI).
   * Not retryable; the member {@code feature} names it ({@code webhooks}, {@code limits}, ...).
   */
  private static Problem unsupported(FeatureUnsupportedException e) {
    return new Problem(
        501,
        "feature-unsupported",
        "Feature not supported by the store",
        e.getMessage(),
        List.of(),
        Map.of(),
        Map.of("feature", e.feature()));
  }

  private static Problem unavailable(Context ctx, StorageException e) {
    log.warn(
        "taskflow-web: {} {} answered 503, the store failed: {}",
        ctx.method(),
        ctx.path(),
        e.toString());
    return new Problem(
        503,
        "storage-unavailable",
        "Storage unavailable",
        "The job store is unavailable; retry shortly",
        List.of(),
        Map.of("Retry-After", "5"));
  }

  private static Problem internal(Context ctx, Exception e) {
    String ref = UUID.randomUUID().toString();
    log.error("taskflow-web: {} {} failed, reference {}", ctx.method(), ctx.path(), ref, e);
    return new Problem(
        500,
        "internal-error",
        "Internal server error",
        "An unexpected error occurred; it was logged with reference " + ref,
        List.of(),
        Map.of());
  }
}
