package dev.taskflow;

import java.util.Set;
import java.util.UUID;

/**
 * Which events a subscriber wants. Null or empty fields match everything.
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
  public static final EventFilter ALL = new EventFilter(null, Set.of(), null, null, null);

  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  public static EventFilter forJob(UUID jobId) {
    return new EventFilter(jobId, Set.of(), null, null, null);
  }

  public boolean matches(JobEvent e) {
    if (jobId != null && !jobId.equals(e.jobId())) return false;
    if (jobType != null && !jobType.equals(e.jobType())) return false;
    if (queue != null && !queue.equals(e.queue())) return false;
    if (owner != null && !owner.equals(e.owner())) return false;
    if (types.isEmpty()) return true;
    for (String t : types) {
      if (t.endsWith("*")
          ? e.type().startsWith(t.substring(0, t.length() - 1))
          : t.equals(e.type())) {
        return true;
      }
    }
    return false;
  }
}
