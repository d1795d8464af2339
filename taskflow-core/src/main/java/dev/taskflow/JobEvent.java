package dev.taskflow;

import java.time.Instant;
import java.util.UUID;

/**
 * The one event envelope used everywhere: SSE, WebSocket, webhooks and Java listeners.
 *
 * <p>Ids are ordered. A persisted event's id is its sequence number in the store's event log
 * ({@code "1234"}). Progress events that go out before they are persisted carry the last persisted
 * sequence plus a suffix ({@code "1234.2"}); resuming from such an id resumes from {@code 1234}.
 *
 * @param id the ordered event id
 * @param type {@code job.enqueued}, {@code job.progress}, ..., or a handler's custom type
 * @param time when it happened (store clock for persisted events)
 * @param jobId the job
 * @param jobType the job's type
 * @param queue the job's queue
 * @param owner the job's owner, or null
 * @param dataJson the event's data, a JSON object as text
 */
public record JobEvent(
    String id,
    String type,
    Instant time,
    UUID jobId,
    String jobType,
    String queue,
    String owner,
    String dataJson) {

  public static final String AWAITING = "job.awaiting";
  public static final String ENQUEUED = "job.enqueued";
  public static final String SCHEDULED = "job.scheduled";
  public static final String STARTED = "job.started";
  public static final String PROGRESS = "job.progress";
  public static final String COMPLETED = "job.completed";
  public static final String RETRYING = "job.retrying";
  public static final String FAILED = "job.failed";
  public static final String CANCELLED = "job.cancelled";
  public static final String DELETED = "job.deleted";
  public static final String LOG = "job.log";

  /** A batch's members all finished and all completed; sent for its callback job or last member. */
  public static final String BATCH_COMPLETED = "batch.completed";

  /** A batch's members all finished, not all completed; sent like {@link #BATCH_COMPLETED}. */
  public static final String BATCH_FAILED = "batch.failed";

  /** The persisted sequence this id stands at or after; see the class comment. */
  public long seq() {
    return parseSeq(id);
  }

  /** Whether this event ends a job's stream (completed, failed, cancelled, deleted). */
  public boolean isTerminal() {
    return type.equals(COMPLETED)
        || type.equals(FAILED)
        || type.equals(CANCELLED)
        || type.equals(DELETED);
  }

  /**
   * Parses an event id such as {@code "1234"} or {@code "1234.2"} to its persisted sequence.
   *
   * @throws IllegalArgumentException when the id is not of that form
   */
  private static boolean digits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  public static long parseSeq(String id) {
    if (id == null || id.isEmpty() || id.length() > 40) {
      throw new IllegalArgumentException(
          "event id must look like 1234 or 1234.2, was '" + id + "'");
    }
    int dot = id.indexOf('.');
    String head = dot < 0 ? id : id.substring(0, dot);
    try {
      // digits only: Long.parseLong would also take a sign (1.-1, +5)
      if (!digits(head) || (dot >= 0 && !digits(id.substring(dot + 1)))) {
        throw new NumberFormatException();
      }
      long seq = Long.parseLong(head);
      if (dot >= 0) Long.parseLong(id.substring(dot + 1));
      return seq;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "event id must look like 1234 or 1234.2, was '" + id + "'");
    }
  }
}
