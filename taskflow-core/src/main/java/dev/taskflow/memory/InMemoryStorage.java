package dev.taskflow.memory;

import dev.taskflow.HistoryEntry;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobState;
import dev.taskflow.JobTransitions;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageCapabilities;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A complete {@link Storage} in memory, for tests and throwaway use. Nothing survives {@link
 * #close()}.
 *
 * <p>Thread-safe: one {@link ReentrantLock} (never a monitor, so virtual threads do not pin) guards
 * plain maps, so every method is atomic, like one transaction of a SQL store. Claims, promotions,
 * rescues and retention walk ordered indexes, so each costs O(log n) per job moved; counts per
 * state come from counters kept with every change.
 *
 * {@snippet :
 * Storage store = new InMemoryStorage(ManualClock.at(Instant.parse("2026-01-01T00:00:00Z")));
 * store.open();
 * }
 */
public final class InMemoryStorage implements Storage {

  private static final StorageCapabilities CAPABILITIES =
      new StorageCapabilities("memory", false, false);

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  // Everything below is guarded by lock.
  private final Map<UUID, MemoryJob> jobs = new HashMap<>();
  private final TreeMap<UUID, MemoryJob> jobsById = new TreeMap<>(MemoryJob.ID_ORDER);
  private final Map<String, QueueIndex> queues = new HashMap<>();
  private final TreeSet<MemoryJob> scheduled = new TreeSet<>(MemoryJob.BY_SCHEDULED_AT);
  private final TreeSet<MemoryJob> leased = new TreeSet<>(MemoryJob.BY_LEASE_EXPIRY);
  private final Map<JobState, TreeSet<MemoryJob>> finished = new EnumMap<>(JobState.class);
  private final Map<String, MemoryJob> liveByUniqueKey = new HashMap<>();
  private final Map<JobState, Long> counts = new EnumMap<>(JobState.class);
  private final Set<String> paused = new HashSet<>();
  private final Map<String, ServerInfo> servers = new TreeMap<>();

  /**
   * The event log: the event with sequence {@code s} sits at index {@code s - 1}; null once
   * removed.
   */
  private final List<JobEvent> events = new ArrayList<>();

  private final Map<UUID, List<JobEvent>> eventsByJob = new HashMap<>();
  private boolean closed;

  /** A store on the system clock in UTC. */
  public InMemoryStorage() {
    this(Clock.systemUTC());
  }

  /**
   * A store on the given clock; every due time and lease is compared against it.
   *
   * @param clock the store's clock, e.g. a {@code ManualClock} in tests
   */
  public InMemoryStorage(Clock clock) {
    if (clock == null) throw new IllegalArgumentException("clock must not be null");
    this.clock = clock;
    for (JobState s : JobState.values()) {
      counts.put(s, 0L);
      if (s.isFinished()) finished.put(s, new TreeSet<>(MemoryJob.BY_FINISHED_AT));
    }
  }

  /** The per-queue indexes: ready jobs in claim order, in due order, and counts per state. */
  private static final class QueueIndex {
    final TreeSet<MemoryJob> ready = new TreeSet<>(MemoryJob.CLAIM_ORDER);
    final TreeSet<MemoryJob> readyByTime = new TreeSet<>(MemoryJob.BY_SCHEDULED_AT);
    final Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    long total;

    QueueIndex() {
      for (JobState s : JobState.values()) counts.put(s, 0L);
    }
  }

  @Override
  public void open() {
    locked(() -> null);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public StorageCapabilities capabilities() {
    return CAPABILITIES;
  }

  // ---------------------------------------------------------------- jobs

  @Override
  public List<InsertOutcome> jobInsertMany(JobInsertManyParams params) {
    return locked(
        () -> {
          // Check everything first, so that a bad job leaves the whole batch unwritten.
          Set<UUID> batchIds = new HashSet<>();
          for (NewJob n : params.jobs()) {
            if (n.id() == null || n.type() == null || n.queue() == null) {
              throw new IllegalArgumentException(
                  "new job needs an id, a type and a queue: id="
                      + n.id()
                      + " type="
                      + n.type()
                      + " queue="
                      + n.queue());
            }
            if (jobs.containsKey(n.id()) || !batchIds.add(n.id())) {
              throw new StorageException(
                  "job id " + n.id() + " (type " + n.type() + ") already exists; batch not stored");
            }
          }
          Instant now = now();
          List<InsertOutcome> out = new ArrayList<>(params.jobs().size());
          for (NewJob n : params.jobs()) {
            MemoryJob holder = n.uniqueKey() == null ? null : liveByUniqueKey.get(n.uniqueKey());
            if (holder != null) {
              out.add(new InsertOutcome(holder.toJob(), true));
              continue;
            }
            out.add(new InsertOutcome(insert(n, now, params.serverId()), false));
          }
          return out;
        });
  }

  private Job insert(NewJob n, Instant now, String serverId) {
    MemoryJob j =
        new MemoryJob(
            n.id(),
            n.type(),
            n.queue(),
            n.priority(),
            n.argsJson() == null ? "{}" : n.argsJson(),
            now,
            n.timeout(),
            n.owner(),
            n.tags(),
            n.uniqueKey());
    Instant due = n.runAt() != null ? n.runAt() : n.delay() != null ? now.plus(n.delay()) : now;
    j.maxAttempts = n.maxAttempts();
    j.scheduledAt = due;
    j.state = due.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
    jobs.put(j.id, j);
    jobsById.put(j.id, j);
    eventsByJob.put(j.id, new ArrayList<>());
    index(j);
    if (j.state == JobState.SCHEDULED) {
      j.history.add(new HistoryEntry(JobState.SCHEDULED, now, "scheduled", serverId));
      Job job = j.toJob();
      append(j, JobEvent.SCHEDULED, EventData.scheduled(job, due, "scheduled"), now);
      return job;
    }
    j.history.add(new HistoryEntry(JobState.ENQUEUED, now, "enqueued", serverId));
    Job job = j.toJob();
    append(j, JobEvent.ENQUEUED, EventData.enqueued(job, "enqueued"), now);
    return job;
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return locked(() -> Optional.ofNullable(jobs.get(id)).map(MemoryJob::toJob));
  }

  @Override
  public List<Job> jobList(JobListParams p) {
    return locked(
        () -> {
          NavigableMap<UUID, MemoryJob> range =
              p.beforeId() == null
                  ? jobsById.descendingMap()
                  : jobsById.headMap(p.beforeId(), false).descendingMap();
          List<Job> out = new ArrayList<>();
          for (MemoryJob j : range.values()) {
            if (out.size() >= p.limit()) break;
            if (p.states().isEmpty() ? j.state == JobState.DELETED : !p.states().contains(j.state))
              continue;
            if (p.type() != null && !p.type().equals(j.type)) continue;
            if (p.queue() != null && !p.queue().equals(j.queue)) continue;
            if (p.owner() != null && !p.owner().equals(j.owner)) continue;
            if (p.tag() != null && !j.tags.contains(p.tag())) continue;
            out.add(j.toJob());
          }
          return out;
        });
  }

  @Override
  public long jobQueuePosition(UUID id) {
    return locked(
        () -> {
          MemoryJob j = jobs.get(id);
          if (j == null || j.state != JobState.ENQUEUED) return -1L;
          return (long) queue(j.queue).ready.headSet(j, false).size();
        });
  }

  @Override
  public List<Job> jobClaim(JobClaimParams p) {
    return locked(
        () -> {
          QueueIndex q = queues.get(p.queue());
          if (q == null || p.max() <= 0 || paused.contains(p.queue())) return List.of();
          Instant now = now();
          Map<String, Integer> left = new HashMap<>(p.typeLimits());
          List<MemoryJob> picked = new ArrayList<>();
          for (MemoryJob j : q.ready) {
            if (picked.size() >= p.max()) break;
            if (!p.types().isEmpty() && !p.types().contains(j.type)) continue;
            Integer cap = left.get(j.type);
            if (cap != null) {
              if (cap <= 0) continue;
              left.put(j.type, cap - 1);
            }
            picked.add(j);
          }
          List<Job> out = new ArrayList<>(picked.size());
          for (MemoryJob j : picked) {
            unindex(j);
            j.state = JobState.PROCESSING;
            j.attempt++;
            j.leaseOwner = p.leaseOwner();
            j.leaseExpiresAt = now.plus(p.leaseDuration());
            j.startedAt = now;
            j.history.add(new HistoryEntry(JobState.PROCESSING, now, "claimed", p.leaseOwner()));
            index(j);
            Job job = j.toJob();
            append(j, JobEvent.STARTED, EventData.started(job, p.leaseOwner()), now);
            out.add(job);
          }
          return out;
        });
  }

  @Override
  public Set<UUID> jobHeartbeat(JobHeartbeatParams p) {
    return locked(
        () -> {
          Instant expires = now().plus(p.leaseDuration());
          Set<UUID> held = new LinkedHashSet<>();
          for (JobLease lease : p.leases()) {
            MemoryJob j = fenced(lease);
            if (j == null) continue;
            unindex(j);
            j.leaseExpiresAt = expires;
            index(j);
            held.add(j.id);
          }
          return held;
        });
  }

  @Override
  public Set<UUID> jobFinishMany(JobFinishManyParams p) {
    return locked(
        () -> {
          Instant now = now();
          Set<UUID> done = new LinkedHashSet<>();
          for (JobFinish f : p.outcomes()) {
            MemoryJob j = fenced(f.lease());
            if (j == null) continue;
            finish(j, f, now);
            done.add(j.id);
          }
          return done;
        });
  }

  private void finish(MemoryJob j, JobFinish f, Instant now) {
    String server = j.leaseOwner;
    unindex(j);
    j.clearLease();
    switch (f) {
      case JobFinish.Completed c -> {
        j.state = JobState.COMPLETED;
        j.resultJson = c.resultJson();
        j.finishedAt = now;
        record(j, now, "completed", server);
        append(j, JobEvent.COMPLETED, EventData.completed(j.toJob(), c.resultJson()), now);
      }
      case JobFinish.Retry r -> {
        j.state = JobState.SCHEDULED;
        j.errors.add(r.error());
        j.scheduledAt = now.plus(r.delay());
        record(j, now, "retry", server);
        append(j, JobEvent.RETRYING, EventData.retrying(j.toJob(), r.error(), j.scheduledAt), now);
      }
      case JobFinish.Failed x -> {
        j.state = JobState.FAILED;
        j.errors.add(x.error());
        j.finishedAt = now;
        record(j, now, "failed", server);
        append(j, JobEvent.FAILED, EventData.failed(j.toJob(), x.error()), now);
      }
      case JobFinish.Snoozed s -> {
        j.state = JobState.SCHEDULED;
        j.attempt--;
        j.scheduledAt = now.plus(s.delay());
        record(j, now, "snoozed", server);
        append(
            j, JobEvent.SCHEDULED, EventData.scheduled(j.toJob(), j.scheduledAt, "snoozed"), now);
      }
      case JobFinish.Cancelled c -> {
        String reason = c.reason() == null ? "cancelled" : c.reason();
        j.state = JobState.CANCELLED;
        j.finishedAt = now;
        record(j, now, reason, server);
        append(j, JobEvent.CANCELLED, EventData.cancelled(j.toJob(), reason), now);
      }
      case JobFinish.Released r -> {
        // Back where it was in the queue: scheduledAt is kept.
        String reason = r.reason() == null ? "released" : r.reason();
        j.state = JobState.ENQUEUED;
        j.attempt--;
        record(j, now, reason, server);
        append(j, JobEvent.ENQUEUED, EventData.enqueued(j.toJob(), reason), now);
      }
    }
    index(j);
  }

  @Override
  public boolean jobProgress(JobProgressParams p) {
    return locked(
        () -> {
          MemoryJob j = fenced(p.lease());
          if (j == null) return false;
          j.progress = p.progress();
          append(j, JobEvent.PROGRESS, EventData.progress(p.progress()), now());
          return true;
        });
  }

  @Override
  public int jobRescueExpired(JobRescueParams p) {
    return locked(
        () -> {
          Instant now = now();
          List<MemoryJob> expired = new ArrayList<>();
          for (MemoryJob j : leased) {
            if (expired.size() >= p.limit() || !j.leaseExpiresAt.isBefore(now)) break;
            expired.add(j);
          }
          for (MemoryJob j : expired) {
            JobError error =
                new JobError(
                    j.attempt,
                    now,
                    "lease_expired",
                    "lease of server "
                        + j.leaseOwner
                        + " on attempt "
                        + j.attempt
                        + " expired at "
                        + j.leaseExpiresAt,
                    null);
            unindex(j);
            j.clearLease();
            j.errors.add(error);
            if (j.attempt < j.maxAttempts) {
              // Back where it was in the queue: scheduledAt is kept.
              j.state = JobState.ENQUEUED;
              record(j, now, "lease_expired", p.serverId());
              append(j, JobEvent.ENQUEUED, EventData.enqueued(j.toJob(), "lease_expired"), now);
            } else {
              j.state = JobState.FAILED;
              j.finishedAt = now;
              record(j, now, "lease_expired", p.serverId());
              append(j, JobEvent.FAILED, EventData.failed(j.toJob(), error), now);
            }
            index(j);
          }
          return expired.size();
        });
  }

  @Override
  public int jobPromoteDue(JobPromoteParams p) {
    return locked(
        () -> {
          Instant now = now();
          List<MemoryJob> due = new ArrayList<>();
          for (MemoryJob j : scheduled) {
            if (due.size() >= p.limit() || j.scheduledAt.isAfter(now)) break;
            due.add(j);
          }
          for (MemoryJob j : due) {
            unindex(j);
            j.state = JobState.ENQUEUED;
            record(j, now, "due", p.serverId());
            index(j);
            append(j, JobEvent.ENQUEUED, EventData.enqueued(j.toJob(), "due"), now);
          }
          return due.size();
        });
  }

  @Override
  public Job jobChangeState(JobChangeStateParams p) {
    return locked(
        () -> {
          MemoryJob j = jobs.get(p.id());
          if (j == null) throw new JobNotFoundException(p.id());
          Instant now = now();
          switch (p.action()) {
            case CANCEL -> {
              JobTransitions.check(j.id, j.state, JobState.CANCELLED, "cancel");
              String reason = p.reason() == null ? "cancelled by user" : p.reason();
              unindex(j);
              j.clearLease();
              j.state = JobState.CANCELLED;
              j.finishedAt = now;
              record(j, now, reason, p.serverId());
              index(j);
              append(j, JobEvent.CANCELLED, EventData.cancelled(j.toJob(), reason), now);
            }
            case RETRY -> {
              JobTransitions.check(j.id, j.state, JobState.ENQUEUED, "retry");
              MemoryJob holder = j.uniqueKey == null ? null : liveByUniqueKey.get(j.uniqueKey);
              if (holder != null) {
                throw new IllegalTransitionException(
                    j.id,
                    j.state,
                    "retry",
                    "unique key '" + j.uniqueKey + "' is held by live job " + holder.id);
              }
              String reason = p.reason() == null ? "retried by user" : p.reason();
              unindex(j);
              j.state = JobState.ENQUEUED;
              j.scheduledAt = now;
              j.finishedAt = null;
              j.maxAttempts = Math.max(j.maxAttempts, j.attempt + 1);
              record(j, now, reason, p.serverId());
              index(j);
              append(j, JobEvent.ENQUEUED, EventData.enqueued(j.toJob(), reason), now);
            }
            case DELETE -> {
              JobTransitions.check(j.id, j.state, JobState.DELETED, "delete");
              String reason = p.reason() == null ? "deleted by user" : p.reason();
              unindex(j);
              j.clearLease();
              j.state = JobState.DELETED;
              j.finishedAt = now; // retention of deleted jobs counts from the deletion
              record(j, now, reason, p.serverId());
              index(j);
              append(j, JobEvent.DELETED, EventData.deleted(j.toJob(), reason), now);
            }
          }
          return j.toJob();
        });
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams p) {
    return locked(
        () -> {
          List<MemoryJob> doomed = new ArrayList<>();
          collectFinishedBefore(JobState.COMPLETED, p.completedBefore(), p.limit(), doomed);
          collectFinishedBefore(JobState.FAILED, p.failedBefore(), p.limit(), doomed);
          collectFinishedBefore(JobState.CANCELLED, p.cancelledBefore(), p.limit(), doomed);
          collectFinishedBefore(JobState.DELETED, p.deletedBefore(), p.limit(), doomed);
          for (MemoryJob j : doomed) {
            unindex(j);
            jobs.remove(j.id);
            jobsById.remove(j.id);
            for (JobEvent e : eventsByJob.remove(j.id)) events.set((int) e.seq() - 1, null);
          }
          return doomed.size();
        });
  }

  private void collectFinishedBefore(
      JobState state, Instant cutoff, int limit, List<MemoryJob> into) {
    if (cutoff == null) return;
    for (MemoryJob j : finished.get(state)) {
      if (into.size() >= limit || !j.finishedAt.isBefore(cutoff)) return;
      into.add(j);
    }
  }

  // ---------------------------------------------------------------- events

  @Override
  public JobEvent eventAppend(EventAppendParams p) {
    return locked(
        () -> {
          MemoryJob j = jobs.get(p.jobId());
          if (j == null) throw new JobNotFoundException(p.jobId());
          return append(j, p.type(), p.dataJson() == null ? "{}" : p.dataJson(), now());
        });
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams p) {
    return locked(
        () -> {
          List<JobEvent> out = new ArrayList<>();
          if (p.jobId() != null) {
            for (JobEvent e : eventsByJob.getOrDefault(p.jobId(), List.of())) {
              if (out.size() >= p.limit()) break;
              if (e.seq() > p.afterSeq()) out.add(e);
            }
            return out;
          }
          for (int i = (int) Math.max(0, Math.min(p.afterSeq(), events.size()));
              i < events.size() && out.size() < p.limit();
              i++) {
            JobEvent e = events.get(i);
            if (e != null) out.add(e);
          }
          return out;
        });
  }

  @Override
  public long eventLatestSeq() {
    return locked(() -> (long) events.size());
  }

  // ---------------------------------------------------------------- queues, counts, servers

  @Override
  public void queuePause(String queue) {
    locked(() -> paused.add(queue));
  }

  @Override
  public void queueResume(String queue) {
    locked(() -> paused.remove(queue));
  }

  @Override
  public List<QueueStats> queueStats() {
    return locked(
        () -> {
          Set<String> names = new TreeSet<>(paused);
          queues.forEach((name, q) -> names.add(name));
          List<QueueStats> out = new ArrayList<>();
          for (String name : names) {
            QueueIndex q = queues.get(name);
            if (q == null) {
              out.add(new QueueStats(name, zeroCounts(), null, true));
              continue;
            }
            if (q.total == 0 && !paused.contains(name)) continue;
            Instant oldest = q.readyByTime.isEmpty() ? null : q.readyByTime.first().scheduledAt;
            out.add(new QueueStats(name, q.counts, oldest, paused.contains(name)));
          }
          return out;
        });
  }

  private static Map<JobState, Long> zeroCounts() {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, 0L);
    return m;
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return locked(() -> Map.copyOf(counts));
  }

  @Override
  public void serverHeartbeat(ServerInfo server) {
    locked(
        () ->
            servers.put(
                server.id(),
                new ServerInfo(
                    server.id(),
                    server.host(),
                    server.startedAt(),
                    now(),
                    server.queues(),
                    server.running())));
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return locked(
        () -> {
          List<ServerInfo> out = new ArrayList<>();
          for (ServerInfo s : servers.values()) {
            if (!s.lastHeartbeatAt().isBefore(since)) out.add(s);
          }
          return out;
        });
  }

  @Override
  public void serverRemove(String serverId) {
    locked(() -> servers.remove(serverId));
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      jobs.clear();
      jobsById.clear();
      queues.clear();
      scheduled.clear();
      leased.clear();
      finished.values().forEach(TreeSet::clear);
      liveByUniqueKey.clear();
      events.clear();
      eventsByJob.clear();
      servers.clear();
      paused.clear();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      if (closed) throw new StorageException("the in-memory store is closed");
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** The job if the lease still holds it: same id, attempt and owner, and processing. */
  private MemoryJob fenced(JobLease lease) {
    MemoryJob j = jobs.get(lease.id());
    if (j == null
        || j.state != JobState.PROCESSING
        || j.attempt != lease.attempt()
        || !lease.leaseOwner().equals(j.leaseOwner)) {
      return null;
    }
    return j;
  }

  private QueueIndex queue(String name) {
    return queues.computeIfAbsent(name, n -> new QueueIndex());
  }

  /** Adds the row to the indexes and counters of its current state. */
  private void index(MemoryJob j) {
    QueueIndex q = queue(j.queue);
    q.counts.merge(j.state, 1L, Long::sum);
    q.total++;
    counts.merge(j.state, 1L, Long::sum);
    switch (j.state) {
      case ENQUEUED -> {
        q.ready.add(j);
        q.readyByTime.add(j);
      }
      case SCHEDULED -> scheduled.add(j);
      case PROCESSING -> leased.add(j);
      case COMPLETED, FAILED, CANCELLED, DELETED -> finished.get(j.state).add(j);
      case AWAITING -> {}
    }
    if (j.uniqueKey != null && j.isLive()) liveByUniqueKey.put(j.uniqueKey, j);
  }

  /** Removes the row from the indexes and counters of its current state, before it changes. */
  private void unindex(MemoryJob j) {
    QueueIndex q = queue(j.queue);
    q.counts.merge(j.state, -1L, Long::sum);
    q.total--;
    counts.merge(j.state, -1L, Long::sum);
    switch (j.state) {
      case ENQUEUED -> {
        q.ready.remove(j);
        q.readyByTime.remove(j);
      }
      case SCHEDULED -> scheduled.remove(j);
      case PROCESSING -> leased.remove(j);
      case COMPLETED, FAILED, CANCELLED, DELETED -> finished.get(j.state).remove(j);
      case AWAITING -> {}
    }
    if (j.uniqueKey != null) liveByUniqueKey.remove(j.uniqueKey, j);
  }

  private void record(MemoryJob j, Instant now, String reason, String server) {
    j.history.add(new HistoryEntry(j.state, now, reason, server));
  }

  private JobEvent append(MemoryJob j, String type, String dataJson, Instant now) {
    JobEvent e =
        new JobEvent(
            Long.toString(events.size() + 1L), type, now, j.id, j.type, j.queue, j.owner, dataJson);
    events.add(e);
    eventsByJob.get(j.id).add(e);
    return e;
  }
}
