package dev.taskflow;

import java.time.Instant;
import java.util.Set;

/**
 * Filters and a keyset cursor for listing jobs, newest first. Every filter is optional.
 *
 * {@snippet :
 * JobPage failedToday =
 *     taskflow.list(JobQuery.all().states(JobState.FAILED).createdAfter(midnight).text("invoice"));
 * }
 *
 * @param states only these states (empty: all but deleted)
 * @param type exact job type
 * @param queue exact queue
 * @param owner exact owner
 * @param tag jobs carrying this tag
 * @param limit 1..{@link #MAX_LIMIT}
 * @param cursor the {@code nextCursor} of the previous page, or null for the first page
 * @param createdAfter only jobs created at or after this instant
 * @param createdBefore only jobs created strictly before this instant
 * @param text only jobs whose args JSON text contains this text (ASCII letters match in either
 *     case); a scan along the listing order, so pair it with other filters on big stores
 */
public record JobQuery(
    Set<JobState> states,
    String type,
    String queue,
    String owner,
    String tag,
    int limit,
    String cursor,
    Instant createdAfter,
    Instant createdBefore,
    String text) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public JobQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (text != null && text.isEmpty()) text = null;
  }

  /** A query without the created-between and text filters. */
  public JobQuery(
      Set<JobState> states,
      String type,
      String queue,
      String owner,
      String tag,
      int limit,
      String cursor) {
    this(states, type, queue, owner, tag, limit, cursor, null, null, null);
  }

  public static JobQuery all() {
    return new JobQuery(Set.of(), null, null, null, null, DEFAULT_LIMIT, null);
  }

  public JobQuery states(JobState... s) {
    return states(Set.of(s));
  }

  public JobQuery states(Set<JobState> s) {
    return new JobQuery(
        s, type, queue, owner, tag, limit, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery type(String t) {
    return new JobQuery(
        states, t, queue, owner, tag, limit, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery queue(String q) {
    return new JobQuery(
        states, type, q, owner, tag, limit, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery owner(String o) {
    return new JobQuery(
        states, type, queue, o, tag, limit, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery tag(String t) {
    return new JobQuery(
        states, type, queue, owner, t, limit, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery limit(int l) {
    return new JobQuery(
        states, type, queue, owner, tag, l, cursor, createdAfter, createdBefore, text);
  }

  public JobQuery cursor(String c) {
    return new JobQuery(
        states, type, queue, owner, tag, limit, c, createdAfter, createdBefore, text);
  }

  /** Only jobs created at or after {@code t} (null: no lower bound). */
  public JobQuery createdAfter(Instant t) {
    return new JobQuery(states, type, queue, owner, tag, limit, cursor, t, createdBefore, text);
  }

  /** Only jobs created strictly before {@code t} (null: no upper bound). */
  public JobQuery createdBefore(Instant t) {
    return new JobQuery(states, type, queue, owner, tag, limit, cursor, createdAfter, t, text);
  }

  /** Only jobs whose args contain {@code t} (null or empty: no text filter). */
  public JobQuery text(String t) {
    return new JobQuery(
        states, type, queue, owner, tag, limit, cursor, createdAfter, createdBefore, t);
  }
}
