package dev.taskflow.memory;

import dev.taskflow.JobState;
import dev.taskflow.QueueFullException;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The job controls of an {@link InMemoryStorage}: queue depth bounds, unique keys held for a
 * period, and start deadlines. Not thread-safe: the store calls it under its lock.
 */
final class MemoryFlow {
  private static final Comparator<MemoryJob> BY_START_BY =
      Comparator.<MemoryJob, Instant>comparing(j -> j.flow.startBy())
          .thenComparing(j -> j.id, MemoryJob.ID_ORDER);

  private final Map<String, Integer> maxDepths = new TreeMap<>();

  /** Per unique key, the job whose {@code uniqueUntil} is the latest. */
  private final Map<String, MemoryJob> periodHolders = new HashMap<>();

  /** Jobs with a start deadline, by deadline; ones that started or finished are dropped lazily. */
  private final TreeSet<MemoryJob> deadlines = new TreeSet<>(BY_START_BY);

  void setMaxDepth(String queue, Integer maxDepth) {
    if (maxDepth == null) maxDepths.remove(queue);
    else maxDepths.put(queue, maxDepth);
  }

  Integer maxDepth(String queue) {
    return maxDepths.get(queue);
  }

  Set<String> boundedQueues() {
    return maxDepths.keySet();
  }

  /**
   * Refuses the batch when the jobs it would insert (not the duplicates) take a bounded queue past
   * its maximum depth.
   */
  void checkDepth(MemoryTables t, List<NewJob> jobs, Instant now) {
    if (maxDepths.isEmpty()) return;
    Map<String, Integer> adding = new LinkedHashMap<>();
    Set<String> keys = new HashSet<>();
    for (NewJob n : jobs) {
      String key = n.uniqueKey();
      if (key != null && (!keys.add(key) || uniqueHolder(t, key, now) != null)) continue;
      if (maxDepths.containsKey(n.queue())) adding.merge(n.queue(), 1, Integer::sum);
    }
    for (Map.Entry<String, Integer> e : adding.entrySet()) {
      int max = maxDepths.get(e.getKey());
      MemoryTables.QueueIndex q = t.queues.get(e.getKey());
      long depth = q == null ? 0 : QueueStats.depthOf(q.counts);
      if (depth + e.getValue() > max) {
        throw new QueueFullException(
            e.getKey(), depth, max, e.getValue(), QueueFullException.DEFAULT_RETRY_AFTER);
      }
    }
  }

  /** Refuses a manual retry that would take a bounded queue past its maximum depth. */
  void checkRoomForOne(MemoryTables t, String queue) {
    Integer max = maxDepths.get(queue);
    if (max == null) return;
    MemoryTables.QueueIndex q = t.queues.get(queue);
    long depth = q == null ? 0 : QueueStats.depthOf(q.counts);
    if (depth + 1 > max) {
      throw new QueueFullException(queue, depth, max, 1, QueueFullException.DEFAULT_RETRY_AFTER);
    }
  }

  /**
   * The job that holds a unique key now: a live job with it, else a job (in any state, still
   * stored) whose key is held for a period that has not ended.
   */
  MemoryJob uniqueHolder(MemoryTables t, String key, Instant now) {
    if (key == null) return null;
    MemoryJob live = t.liveByUniqueKey.get(key);
    if (live != null) return live;
    MemoryJob p = periodHolders.get(key);
    if (p == null) return null;
    if (!t.jobs.containsKey(p.id) || !p.flow.uniqueUntil().isAfter(now)) {
      periodHolders.remove(key);
      return null;
    }
    return p;
  }

  /** Indexes a job just inserted (its flow settings resolved). */
  void inserted(MemoryJob j) {
    if (j.uniqueKey != null && j.flow.uniqueUntil() != null) {
      MemoryJob before = periodHolders.get(j.uniqueKey);
      if (before == null || before.flow.uniqueUntil().isBefore(j.flow.uniqueUntil())) {
        periodHolders.put(j.uniqueKey, j);
      }
    }
    if (j.flow.startBy() != null) deadlines.add(j);
  }

  /**
   * Whether a job that never started has passed its start deadline: it must not start any more. A
   * job that started once (a retry, a snooze) is past its deadline's reach.
   */
  static boolean expired(MemoryJob j, Instant now) {
    return j.flow.startBy() != null && j.startedAt == null && !j.flow.startBy().isAfter(now);
  }

  /** Waiting jobs whose start deadline is at or before now, at most {@code limit}, by deadline. */
  List<MemoryJob> expiredWaiting(MemoryTables t, Instant now, int limit) {
    List<MemoryJob> out = new ArrayList<>();
    var it = deadlines.iterator();
    while (it.hasNext() && out.size() < limit) {
      MemoryJob j = it.next();
      if (j.flow.startBy().isAfter(now)) break;
      if (!t.jobs.containsKey(j.id) || !isWaiting(j.state) || j.startedAt != null) {
        it.remove(); // started, finished or removed: its deadline no longer matters
        continue;
      }
      out.add(j);
    }
    return out;
  }

  static boolean isWaiting(JobState s) {
    return s == JobState.ENQUEUED || s == JobState.SCHEDULED || s == JobState.AWAITING;
  }

  void clear() {
    maxDepths.clear();
    periodHolders.clear();
    deadlines.clear();
  }
}
