package dev.taskflow.memory;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.BatchRecord;
import dev.taskflow.spi.BatchSpec;
import dev.taskflow.spi.Dependencies;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.NewJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Dependencies and batches of an {@link InMemoryStorage}: parent and child links, the awaiting
 * jobs, and the batch rows. Not thread-safe: the store calls it under its lock.
 */
final class MemoryDeps {

  /** What the store lends this class: moving a job, inserting jobs, appending events. */
  interface Host {
    Job move(MemoryJob j, JobState to, String reason, Instant now, String server);

    /** Inserts jobs that no queue's max depth refuses, as a batch callback must be. */
    List<InsertOutcome> insertUnbounded(List<NewJob> jobs, String server);
  }

  private static final class Batch {
    final UUID id;
    final String specJson;
    final List<UUID> members;
    final Instant createdAt;
    String state = BatchRecord.OPEN;
    Instant finishedAt;

    /** Members before this index are completed or deleted for good: a sweep skips them. */
    int settled;

    Batch(UUID id, String specJson, List<UUID> members, Instant createdAt) {
      this.id = id;
      this.specJson = specJson;
      this.members = members;
      this.createdAt = createdAt;
    }
  }

  private final Map<UUID, List<UUID>> parentsOf = new HashMap<>();
  private final Map<UUID, TreeSet<UUID>> childrenOf = new HashMap<>();
  private final TreeSet<UUID> awaiting = new TreeSet<>(MemoryJob.ID_ORDER);
  private final Map<UUID, Batch> batches = new LinkedHashMap<>();
  private final TreeSet<UUID> openBatches = new TreeSet<>(MemoryJob.ID_ORDER);

  /** Refuses the batch when a parent is neither stored nor one of the batch's jobs. */
  void checkParents(MemoryTables t, List<NewJob> jobs) {
    Set<UUID> inBatch = new HashSet<>();
    for (NewJob n : jobs) inBatch.add(n.id());
    for (int i = 0; i < jobs.size(); i++) {
      List<UUID> parents = jobs.get(i).flow().dependsOn();
      for (int k = 0; k < parents.size(); k++) {
        UUID p = parents.get(k);
        if (!inBatch.contains(p) && !t.jobs.containsKey(p)) {
          throw Dependencies.unknownParent(jobs, i, k);
        }
      }
    }
  }

  /**
   * Links the awaiting jobs just inserted to their parents (a parent that was a duplicate stands
   * for the job holding its key), then resolves those whose parents have all finished.
   */
  void inserted(
      MemoryTables t, List<NewJob> jobs, List<InsertOutcome> out, Host h, Instant now, String srv) {
    Map<UUID, UUID> redirect = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (out.get(i).duplicate()) redirect.put(jobs.get(i).id(), out.get(i).job().id());
    }
    List<UUID> fresh = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      Job job = out.get(i).job();
      if (out.get(i).duplicate() || job.state() != JobState.AWAITING) continue;
      List<UUID> parents = new ArrayList<>();
      for (UUID p : jobs.get(i).flow().dependsOn()) {
        UUID to = redirect.getOrDefault(p, p);
        if (!parents.contains(to)) parents.add(to);
      }
      parentsOf.put(job.id(), parents);
      for (UUID p : parents) {
        childrenOf.computeIfAbsent(p, x -> new TreeSet<>(MemoryJob.ID_ORDER)).add(job.id());
      }
      awaiting.add(job.id());
      fresh.add(job.id());
    }
    resolve(t, fresh, h, now, srv, Integer.MAX_VALUE);
  }

  /** Resolves up to {@code limit} awaiting jobs; see {@code FlowStore#jobResolveAwaiting}. */
  int sweep(MemoryTables t, Host h, Instant now, String server, int limit) {
    return resolve(t, new ArrayList<>(awaiting), h, now, server, limit);
  }

  private int resolve(
      MemoryTables t, Collection<UUID> ids, Host h, Instant now, String server, int limit) {
    int moved = 0;
    for (UUID id : ids) {
      if (moved >= limit) break;
      MemoryJob j = t.jobs.get(id);
      if (j == null || j.state != JobState.AWAITING) {
        awaiting.remove(id); // cancelled, deleted or removed meanwhile
        continue;
      }
      List<JobState> states = new ArrayList<>();
      for (UUID p : parentsOf.getOrDefault(id, List.of())) {
        MemoryJob pj = t.jobs.get(p);
        states.add(pj == null ? null : pj.state);
      }
      Dependencies.Outcome o = Dependencies.decide(j.flow.onParentFailure(), states);
      switch (o) {
        case WAIT -> {
          continue;
        }
        case RELEASE -> {
          JobState to = j.scheduledAt.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
          h.move(j, to, Dependencies.PARENTS_FINISHED, now, server);
        }
        case CANCEL_PARENT_FAILED, CANCEL_PARENT_DELETED ->
            h.move(j, JobState.CANCELLED, Dependencies.reason(o), now, server);
      }
      awaiting.remove(id);
      moved++;
    }
    return moved;
  }

  /** Whether a job awaits {@code parent}: retention keeps such a parent. */
  boolean hasAwaitingChild(MemoryTables t, UUID parent) {
    for (UUID c : childrenOf.getOrDefault(parent, new TreeSet<>())) {
      MemoryJob cj = t.jobs.get(c);
      if (cj != null && cj.state == JobState.AWAITING) return true;
    }
    return false;
  }

  List<UUID> dependents(UUID parent, int limit) {
    return childrenOf.getOrDefault(parent, new TreeSet<>()).stream().limit(limit).toList();
  }

  /** Forgets a job that retention removed. */
  void removed(UUID id) {
    List<UUID> parents = parentsOf.remove(id);
    if (parents != null) {
      for (UUID p : parents) {
        TreeSet<UUID> cs = childrenOf.get(p);
        if (cs != null && cs.remove(id) && cs.isEmpty()) childrenOf.remove(p);
      }
    }
    awaiting.remove(id);
  }

  // ---------------------------------------------------------------- batches

  void batchInserted(UUID id, String specJson, List<InsertOutcome> out, Instant now) {
    List<UUID> members = new ArrayList<>();
    for (InsertOutcome o : out) if (!o.duplicate()) members.add(o.job().id());
    batches.put(id, new Batch(id, specJson, members, now));
    openBatches.add(id);
  }

  /** Whether {@code batchId} (null: none) names an open batch: retention keeps its members. */
  boolean inOpenBatch(UUID batchId) {
    return batchId != null && openBatches.contains(batchId);
  }

  boolean hasBatch(UUID id) {
    return batches.containsKey(id);
  }

  BatchRecord batchGet(MemoryTables t, UUID id) {
    Batch b = batches.get(id);
    return b == null ? null : record(t, b);
  }

  private static BatchRecord record(MemoryTables t, Batch b) {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) counts.put(s, 0L);
    for (UUID m : b.members) {
      MemoryJob j = t.jobs.get(m);
      if (j != null) counts.merge(j.state, 1L, Long::sum);
    }
    return new BatchRecord(
        b.id, b.state, b.specJson, b.members.size(), counts, b.createdAt, b.finishedAt);
  }

  /** Finishes up to {@code limit} open batches whose members have all finished. */
  int batchSweep(MemoryTables t, Host h, Instant now, String server, int limit) {
    int done = 0;
    for (UUID id : new ArrayList<>(openBatches)) {
      if (done >= limit) break;
      Batch b = batches.get(id);
      if (!allFinished(t, b)) continue;
      BatchRecord r = record(t, b);
      String state = Dependencies.batchOutcome(r.counts());
      BatchSpec spec = BatchSpec.fromJson(b.specJson);
      MemoryJob about = null;
      if (spec.callback() != null) {
        Map<String, Long> counts = new LinkedHashMap<>();
        r.counts().forEach((s, n) -> counts.put(s.wireName(), n));
        NewJob cb = spec.callbackJob(b.id, state, r.total(), counts);
        InsertOutcome o = h.insertUnbounded(List.of(cb), server).getFirst();
        about = t.jobs.get(o.job().id());
      }
      if (about == null) about = lastFinished(t, b);
      b.state = state;
      b.finishedAt = now;
      openBatches.remove(id);
      if (about != null) {
        String type =
            state.equals(BatchRecord.COMPLETED) ? JobEvent.BATCH_COMPLETED : JobEvent.BATCH_FAILED;
        UUID cbId = spec.callback() == null ? null : about.id;
        t.append(about, type, EventData.batchFinished(r, state, cbId), now);
      }
      done++;
    }
    return done;
  }

  private static boolean allFinished(MemoryTables t, Batch b) {
    List<UUID> m = b.members;
    while (b.settled < m.size()) {
      MemoryJob j = t.jobs.get(m.get(b.settled));
      if (j != null && j.state != JobState.COMPLETED && j.state != JobState.DELETED) break;
      b.settled++;
    }
    for (int i = b.settled; i < m.size(); i++) {
      MemoryJob j = t.jobs.get(m.get(i));
      if (j != null && !j.state.isFinished()) return false;
    }
    return true;
  }

  private static MemoryJob lastFinished(MemoryTables t, Batch b) {
    MemoryJob last = null;
    for (UUID m : b.members) {
      MemoryJob j = t.jobs.get(m);
      if (j == null || j.finishedAt == null) continue;
      if (last == null
          || j.finishedAt.isAfter(last.finishedAt)
          || (j.finishedAt.equals(last.finishedAt)
              && MemoryJob.ID_ORDER.compare(j.id, last.id) > 0)) {
        last = j;
      }
    }
    return last;
  }

  void clear() {
    parentsOf.clear();
    childrenOf.clear();
    awaiting.clear();
    batches.clear();
    openBatches.clear();
  }
}
