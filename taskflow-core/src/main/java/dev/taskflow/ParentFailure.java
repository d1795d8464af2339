package dev.taskflow;

import java.util.Locale;

/**
 * What a job that {@linkplain EnqueueOptions#dependsOn depends on} other jobs does when a parent
 * ends in {@code failed}, {@code cancelled} or {@code deleted} instead of {@code completed}. Every
 * choice ends the wait: a dependent job is never stuck without a reason shown on it.
 *
 * <ul>
 *   <li>{@link #CANCEL} (the default): the job is cancelled with reason {@code parent_failed}, and
 *       so, in turn, are its own dependents that cancel.
 *   <li>{@link #RUN}: the job runs anyway once every parent is finished, whatever the outcome.
 *   <li>{@link #WAIT}: the job stays {@code awaiting} until a person retries the failed parent and
 *       it completes (or cancels the job).
 * </ul>
 */
public enum ParentFailure {
  CANCEL,
  RUN,
  WAIT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON and SQL. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses the lowercase wire name.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static ParentFailure fromWire(String name) {
    for (ParentFailure p : values()) {
      if (p.wireName.equals(name)) return p;
    }
    throw new IllegalArgumentException(
        "unknown parent failure policy '" + name + "'; expected one of cancel, run, wait");
  }
}
