package dev.taskflow;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The states of a job. Lowercase in JSON. The legal moves between them live in {@link
 * JobTransitions}, the one place that enforces them.
 *
 * <ul>
 *   <li>{@link #AWAITING}: waits for other jobs. Enters on enqueue with dependencies; leaves to
 *       {@code enqueued} when its parents finish, or {@code cancelled}.
 *   <li>{@link #SCHEDULED}: due later (a delay, or the next retry). Enters on enqueue with {@code
 *       runAt}/{@code delay}, a failed attempt with attempts left, or a snooze; the promoter moves
 *       it to {@code enqueued} when due.
 *   <li>{@link #ENQUEUED}: ready to run, ordered by priority, then due time, then id. Enters on
 *       enqueue, promotion, manual retry, rescue of an expired lease or graceful release; leaves to
 *       {@code processing} when a worker claims it.
 *   <li>{@link #PROCESSING}: a worker holds its lease. Leaves to {@code completed}, {@code
 *       scheduled} (retry or snooze), {@code failed}, {@code cancelled}, {@code deleted} or back to
 *       {@code enqueued} (graceful shutdown, or rescue after the lease expired).
 *   <li>{@link #COMPLETED}: done, result stored; removed by retention.
 *   <li>{@link #FAILED}: terminal, attempts exhausted or a non-retryable error; a person may retry
 *       it.
 *   <li>{@link #CANCELLED}: terminal, cancelled by a user or by the handler; a person may retry it.
 *   <li>{@link #DELETED}: soft-deleted, kept until retention removes it.
 * </ul>
 */
public enum JobState {
  AWAITING,
  SCHEDULED,
  ENQUEUED,
  PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLED,
  DELETED;

  private static final Set<JobState> FINISHED = EnumSet.of(COMPLETED, FAILED, CANCELLED, DELETED);
  private static final Map<String, JobState> BY_WIRE_NAME = new HashMap<>();

  static {
    for (JobState s : values()) BY_WIRE_NAME.put(s.wireName, s);
  }

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON, SQL and URLs. */
  public String wireName() {
    return wireName;
  }

  /** True for states a job never leaves on its own: completed, failed, cancelled, deleted. */
  public boolean isFinished() {
    return FINISHED.contains(this);
  }

  /**
   * Parses the lowercase wire name.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static JobState fromWire(String name) {
    JobState s = name == null ? null : BY_WIRE_NAME.get(name);
    if (s != null) return s;
    throw new IllegalArgumentException(
        "unknown job state '" + name + "'; expected one of " + wireNames());
  }

  /** The accepted wire names, comma-separated, for error messages. */
  public static String wireNames() {
    StringBuilder sb = new StringBuilder();
    for (JobState s : values()) {
      if (!sb.isEmpty()) sb.append(", ");
      sb.append(s.wireName());
    }
    return sb.toString();
  }
}
