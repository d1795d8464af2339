package dev.taskflow;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Which events a subscriber wants. Null or empty fields match everything.
 *
 * <p>A filter holds at most {@value #MAX_TYPES} types. {@link #matcher()} compiles it once: exact
 * types are one hash lookup and prefixes one lookup per distinct prefix length, so the cost of
 * matching an event does not grow with the number of patterns (a subscriber with thousands of
 * patterns made every delivery, and with it every worker's progress report, slow).
 *
 * @param jobId one job
 * @param types event types, e.g. {@code job.completed}; a trailing {@code *} matches a prefix
 *     ({@code job.*})
 * @param jobType the job's type
 * @param queue the job's queue
 * @param owner the job's owner
 */
public record EventFilter(
    UUID jobId, Set<String> types, String jobType, String queue, String owner) {
  /** The most types (and patterns) one filter may hold. */
  public static final int MAX_TYPES = 64;

  public static final EventFilter ALL = new EventFilter(null, Set.of(), null, null, null);

  /**
   * @throws IllegalArgumentException when {@code types} holds more than {@value #MAX_TYPES}
   */
  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
    if (types.size() > MAX_TYPES) {
      throw new IllegalArgumentException(
          "an event filter takes at most " + MAX_TYPES + " types, got " + types.size());
    }
  }

  public static EventFilter forJob(UUID jobId) {
    return new EventFilter(jobId, Set.of(), null, null, null);
  }

  /** Whether the event matches. Compiles the filter on each call: hold a {@link #matcher()}. */
  public boolean matches(JobEvent e) {
    return matcher().test(e);
  }

  /** The filter compiled for repeated use: its cost per event is independent of its size. */
  public Predicate<JobEvent> matcher() {
    Predicate<String> type = typeMatcher(types);
    return e ->
        (jobId == null || jobId.equals(e.jobId()))
            && (jobType == null || jobType.equals(e.jobType()))
            && (queue == null || queue.equals(e.queue()))
            && (owner == null || owner.equals(e.owner()))
            && type.test(e.type());
  }

  private static Predicate<String> typeMatcher(Set<String> types) {
    if (types.isEmpty()) return t -> true;
    Set<String> exact = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    TreeSet<Integer> lengths = new TreeSet<>();
    for (String t : types) {
      if (t.endsWith("*")) {
        String p = t.substring(0, t.length() - 1);
        if (p.isEmpty()) return any -> true;
        prefixes.add(p);
        lengths.add(p.length());
      } else {
        exact.add(t);
      }
    }
    int[] byLength = lengths.stream().mapToInt(Integer::intValue).toArray();
    return t -> {
      if (exact.contains(t)) return true;
      for (int len : byLength) {
        if (len > t.length()) return false;
        if (prefixes.contains(t.substring(0, len))) return true;
      }
      return false;
    };
  }
}
