package dev.taskflow;

import java.util.Set;

/**
 * Filters and a keyset cursor for listing jobs, newest first. Every filter is optional.
 *
 * @param states only these states (empty: all but deleted)
 * @param type exact job type
 * @param queue exact queue
 * @param owner exact owner
 * @param tag jobs carrying this tag
 * @param limit 1..{@link #MAX_LIMIT}
 * @param cursor the {@code nextCursor} of the previous page, or null for the first page
 */
public record JobQuery(
    Set<JobState> states,
    String type,
    String queue,
    String owner,
    String tag,
    int limit,
    String cursor) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public JobQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
  }

  public static JobQuery all() {
    return new JobQuery(Set.of(), null, null, null, null, DEFAULT_LIMIT, null);
  }

  public JobQuery states(JobState... s) {
    return new JobQuery(Set.of(s), type, queue, owner, tag, limit, cursor);
  }

  public JobQuery type(String t) {
    return new JobQuery(states, t, queue, owner, tag, limit, cursor);
  }

  public JobQuery queue(String q) {
    return new JobQuery(states, type, q, owner, tag, limit, cursor);
  }

  public JobQuery owner(String o) {
    return new JobQuery(states, type, queue, o, tag, limit, cursor);
  }

  public JobQuery tag(String t) {
    return new JobQuery(states, type, queue, owner, t, limit, cursor);
  }

  public JobQuery limit(int l) {
    return new JobQuery(states, type, queue, owner, tag, l, cursor);
  }

  public JobQuery cursor(String c) {
    return new JobQuery(states, type, queue, owner, tag, limit, c);
  }
}
