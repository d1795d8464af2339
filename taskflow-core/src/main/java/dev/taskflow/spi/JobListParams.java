package dev.taskflow.spi;

import dev.taskflow.JobState;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The jobs to list, newest (highest id) first. Every filter is optional (null: no filter).
 *
 * @param states only these states; empty means every state but deleted
 * @param beforeId keyset cursor: only ids strictly below it (null for the first page)
 * @param limit at most this many
 * @param createdAfter only jobs created at or after this instant
 * @param createdBefore only jobs created strictly before this instant
 * @param text only jobs whose args JSON text contains this text, ASCII letters matching in either
 *     case (SQL stores may use {@code LIKE}: a scan along {@code id DESC}, stopping at {@code
 *     limit}); {@code %} and {@code _} match themselves
 */
public record JobListParams(
    Set<JobState> states,
    String type,
    String queue,
    String owner,
    String tag,
    UUID beforeId,
    int limit,
    Instant createdAfter,
    Instant createdBefore,
    String text) {
  public JobListParams {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (text != null && text.isEmpty()) text = null;
  }

  /** Params without the created-between and text filters. */
  public JobListParams(
      Set<JobState> states,
      String type,
      String queue,
      String owner,
      String tag,
      UUID beforeId,
      int limit) {
    this(states, type, queue, owner, tag, beforeId, limit, null, null, null);
  }

  /**
   * Whether {@code argsJson} matches {@link #text()} as this contract defines it (true when there
   * is no text filter): a substring match that ignores the case of ASCII letters.
   */
  public boolean textMatches(String argsJson) {
    if (text == null) return true;
    return argsJson != null && asciiLower(argsJson).contains(asciiLower(text));
  }

  /** Whether {@code createdAt} lies in [{@link #createdAfter()}, {@link #createdBefore()}). */
  public boolean createdMatches(Instant createdAt) {
    return (createdAfter == null || !createdAt.isBefore(createdAfter))
        && (createdBefore == null || createdAt.isBefore(createdBefore));
  }

  private static String asciiLower(String s) {
    // toLowerCase(ROOT) would also fold non-ASCII letters, which SQL LIKE does not.
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (sb == null) sb = new StringBuilder(s);
        sb.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return sb == null ? s : sb.toString();
  }
}
