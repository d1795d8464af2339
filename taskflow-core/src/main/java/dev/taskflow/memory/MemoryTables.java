package dev.taskflow.memory;

import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import dev.taskflow.Webhook;
import dev.taskflow.spi.RecurringRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The data of an {@link InMemoryStorage} and its indexes: the "tables" a SQL store would have, and
 * the partial indexes it would keep on them. Not thread-safe: the store calls it under its lock.
 *
 * <p>Every change of a job goes through {@link #update}, which takes the row out of the indexes and
 * counters of its old state and puts it into those of its new one, so they never drift.
 */
final class MemoryTables {

  /** The per-queue indexes: ready jobs in claim order and in due order, and counts per state. */
  static final class QueueIndex {
    final TreeSet<MemoryJob> ready = new TreeSet<>(MemoryJob.CLAIM_ORDER);
    final TreeSet<MemoryJob> readyByDueTime = new TreeSet<>(MemoryJob.BY_SCHEDULED_AT);
    final Map<JobState, Long> counts = zeroCounts();
    long total;
  }

  final Map<UUID, MemoryJob> jobs = new HashMap<>();
  final TreeMap<UUID, MemoryJob> jobsById = new TreeMap<>(MemoryJob.ID_ORDER);
  final Map<String, QueueIndex> queues = new HashMap<>();
  final TreeSet<MemoryJob> scheduled = new TreeSet<>(MemoryJob.BY_SCHEDULED_AT);
  final TreeSet<MemoryJob> leased = new TreeSet<>(MemoryJob.BY_LEASE_EXPIRY);
  final Map<JobState, TreeSet<MemoryJob>> finished = new EnumMap<>(JobState.class);
  final Map<String, MemoryJob> liveByUniqueKey = new HashMap<>();
  final Map<JobState, Long> counts = zeroCounts();
  final Set<String> paused = new HashSet<>();
  final Map<String, ServerInfo> servers = new TreeMap<>();

  /**
   * The event log: the event with sequence {@code s} sits at index {@code s - 1}; null once
   * removed.
   */
  final List<JobEvent> events = new ArrayList<>();

  final Map<UUID, List<JobEvent>> eventsByJob = new HashMap<>();

  /** A named leadership: its owner and when it ends on the store clock. */
  record Leader(String owner, Instant expiresAt) {}

  final Map<String, Leader> leaders = new HashMap<>();
  final TreeMap<UUID, Webhook> webhooks = new TreeMap<>();
  final Map<String, Long> cursors = new HashMap<>();
  final TreeMap<String, RecurringRecord> recurring = new TreeMap<>();

  MemoryTables() {
    for (JobState s : JobState.values()) {
      if (s.isFinished()) finished.put(s, new TreeSet<>(MemoryJob.BY_FINISHED_AT));
    }
  }

  static Map<JobState, Long> zeroCounts() {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, 0L);
    return m;
  }

  QueueIndex queue(String name) {
    return queues.computeIfAbsent(name, n -> new QueueIndex());
  }

  void insert(MemoryJob j) {
    jobs.put(j.id, j);
    jobsById.put(j.id, j);
    eventsByJob.put(j.id, new ArrayList<>());
    attach(j);
  }

  /** Hard-deletes a job and its events. */
  void remove(MemoryJob j) {
    detach(j);
    jobs.remove(j.id);
    jobsById.remove(j.id);
    for (JobEvent e : eventsByJob.remove(j.id)) events.set((int) e.seq() - 1, null);
  }

  /** Applies a change to a job, keeping every index and counter in step with it. */
  void update(MemoryJob j, Consumer<MemoryJob> change) {
    detach(j);
    try {
      change.accept(j);
    } finally {
      attach(j);
    }
  }

  /** Appends an event for the job with the next sequence. */
  JobEvent append(MemoryJob j, String type, String dataJson, Instant at) {
    JobEvent e =
        new JobEvent(
            Long.toString(events.size() + 1L), type, at, j.id, j.type, j.queue, j.owner, dataJson);
    events.add(e);
    eventsByJob.get(j.id).add(e);
    return e;
  }

  void clear() {
    jobs.clear();
    jobsById.clear();
    queues.clear();
    scheduled.clear();
    leased.clear();
    finished.values().forEach(TreeSet::clear);
    liveByUniqueKey.clear();
    counts.replaceAll((s, n) -> 0L);
    paused.clear();
    servers.clear();
    events.clear();
    eventsByJob.clear();
    leaders.clear();
    webhooks.clear();
    cursors.clear();
    recurring.clear();
  }

  /** Puts a row into the indexes and counters of its current state. */
  void attach(MemoryJob j) {
    QueueIndex q = queue(j.queue);
    q.counts.merge(j.state, 1L, Long::sum);
    q.total++;
    counts.merge(j.state, 1L, Long::sum);
    switch (j.state) {
      case ENQUEUED -> {
        q.ready.add(j);
        q.readyByDueTime.add(j);
      }
      case SCHEDULED -> scheduled.add(j);
      case PROCESSING -> leased.add(j);
      case COMPLETED, FAILED, CANCELLED, DELETED -> finished.get(j.state).add(j);
      case AWAITING -> {}
    }
    if (j.uniqueKey != null && j.isLive()) liveByUniqueKey.put(j.uniqueKey, j);
  }

  /** Takes a row out of the indexes and counters of its current state, before it changes. */
  void detach(MemoryJob j) {
    QueueIndex q = queue(j.queue);
    q.counts.merge(j.state, -1L, Long::sum);
    q.total--;
    counts.merge(j.state, -1L, Long::sum);
    switch (j.state) {
      case ENQUEUED -> {
        q.ready.remove(j);
        q.readyByDueTime.remove(j);
      }
      case SCHEDULED -> scheduled.remove(j);
      case PROCESSING -> leased.remove(j);
      case COMPLETED, FAILED, CANCELLED, DELETED -> finished.get(j.state).remove(j);
      case AWAITING -> {}
    }
    if (j.uniqueKey != null) liveByUniqueKey.remove(j.uniqueKey, j);
  }
}
