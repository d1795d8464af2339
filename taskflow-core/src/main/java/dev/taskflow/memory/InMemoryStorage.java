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
import dev.taskflow.spi.CursorStore;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.FlowStore;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobExpireParams;
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
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.LimitStore;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.RecurringStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageCapabilities;
import dev.taskflow.spi.StoreListener;
import dev.taskflow.spi.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A complete {@link Storage} in memory, for tests and throwaway use: the core and every feature
 * (webhooks, limits, recurring schedules, batches and dependencies, cursors; the {@code
 * Memory*Store} classes, on the same tables and lock). Nothing survives {@link #close()}; a closed
 * store refuses every call with a {@link StorageException}.
 *
 * <p>Thread-safe: one {@link ReentrantLock} (never a monitor, so virtual threads do not pin) guards
 * every table, so each method is atomic, like one transaction of a SQL store. Claims, promotions,
 * rescues and retention walk ordered indexes, costing O(log n) per job they move; counts per state
 * come from counters kept with every change.
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
  private final MemoryTables t = new MemoryTables(); // guarded by lock
  private boolean closed; // guarded by lock
  private final MemoryLimits limits = new MemoryLimits(); // guarded by lock
  private final MemoryFlow flowControl = new MemoryFlow(); // guarded by lock
  private final MemoryDeps deps = new MemoryDeps(); // guarded by lock
  private final MemoryDeps.Host depsHost =
      new MemoryDeps.Host() {
        @Override
        public Job move(MemoryJob j, JobState to, String reason, Instant now, String server) {
          return moveWaiting(j, to, reason, now, server);
        }

        @Override
        public List<InsertOutcome> insertUnbounded(List<NewJob> jobs, String server) {
          return insertManyLocked(jobs, server, false);
        }
      };
  private final Optional<WebhookStore> webhookStore = Optional.of(new MemoryWebhookStore(this));
  private final Optional<LimitStore> limitStore = Optional.of(new MemoryLimitStore(this));
  private final Optional<RecurringStore> recurringStore =
      Optional.of(new MemoryRecurringStore(this));
  private final Optional<FlowStore> flowStore = Optional.of(new MemoryFlowStore(this));
  private final Optional<CursorStore> cursorStore = Optional.of(new MemoryCursorStore(this));

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
    return locked(() -> insertManyLocked(params.jobs(), params.serverId(), true));
  }

  /**
   * {@link #jobInsertMany} with the lock held: all or none; {@code bounded}: refused past a queue's
   * max depth (new work), else never (batch callbacks, recurring fires, cursor inserts).
   */
  List<InsertOutcome> insertManyLocked(List<NewJob> jobs, String serverId, boolean bounded) {
    // Check everything first, so that a bad job leaves the whole batch unwritten.
    Set<UUID> batchIds = new HashSet<>();
    for (NewJob n : jobs) {
      if (n.id() == null || n.type() == null || n.queue() == null) {
        throw new IllegalArgumentException(
            "a new job needs an id, a type and a queue; got id=%s type=%s queue=%s"
                .formatted(n.id(), n.type(), n.queue()));
      }
      if (t.jobs.containsKey(n.id()) || !batchIds.add(n.id())) {
        throw new StorageException(
            "job id %s (type %s) already exists; nothing of the batch of %d was stored"
                .formatted(n.id(), n.type(), jobs.size()));
      }
    }
    Instant now = now();
    if (bounded) flowControl.checkDepth(t, jobs, now); // before anything is written: all or none
    deps.checkParents(t, jobs);
    List<InsertOutcome> out = new ArrayList<>(jobs.size());
    for (NewJob n : jobs) {
      MemoryJob holder = flowControl.uniqueHolder(t, n.uniqueKey(), now);
      out.add(
          holder != null
              ? new InsertOutcome(holder.toJob(), true)
              : new InsertOutcome(insert(n, now, serverId), false));
    }
    deps.inserted(t, jobs, out, depsHost, now, serverId);
    return out;
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
    j.flow = n.resolvedFlow(now);
    flowControl.inserted(j);
    j.scheduledAt = due;
    j.state =
        !j.flow.dependsOn().isEmpty()
            ? JobState.AWAITING
            : due.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
    String reason = j.state.wireName();
    j.history.add(new HistoryEntry(j.state, now, reason, serverId));
    t.insert(j);
    Job job = j.toJob();
    if (j.state == JobState.AWAITING) {
      t.append(j, JobEvent.AWAITING, EventData.awaiting(job), now);
    } else if (j.state == JobState.SCHEDULED) {
      t.append(j, JobEvent.SCHEDULED, EventData.scheduled(job, due, reason), now);
    } else {
      t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, reason), now);
    }
    return job;
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return locked(() -> Optional.ofNullable(t.jobs.get(id)).map(MemoryJob::toJob));
  }

  @Override
  public List<Job> jobList(JobListParams p) {
    return locked(
        () -> {
          NavigableMap<UUID, MemoryJob> newestFirst =
              p.beforeId() == null
                  ? t.jobsById.descendingMap()
                  : t.jobsById.headMap(p.beforeId(), false).descendingMap();
          List<Job> out = new ArrayList<>();
          for (MemoryJob j : newestFirst.values()) {
            if (out.size() >= p.limit()) break;
            if (matches(j, p)) out.add(j.toJob());
          }
          return out;
        });
  }

  private static boolean matches(MemoryJob j, JobListParams p) {
    boolean stateOk =
        p.states().isEmpty() ? j.state != JobState.DELETED : p.states().contains(j.state);
    return stateOk
        && (p.type() == null || p.type().equals(j.type))
        && (p.queue() == null || p.queue().equals(j.queue))
        && (p.owner() == null || p.owner().equals(j.owner))
        && (p.tag() == null || j.tags.contains(p.tag()))
        && p.createdMatches(j.createdAt)
        && p.textMatches(j.argsJson);
  }

  @Override
  public long jobQueuePosition(UUID id) {
    return locked(
        () -> {
          MemoryJob j = t.jobs.get(id);
          if (j == null || j.state != JobState.ENQUEUED) return -1L;
          return (long) t.queue(j.queue).ready.headSet(j, false).size();
        });
  }

  @Override
  public List<Job> jobClaim(JobClaimParams p) {
    return locked(
        () -> {
          MemoryTables.QueueIndex q = t.queues.get(p.queue());
          if (q == null || p.max() <= 0 || t.paused.contains(p.queue())) return List.of();
          Map<String, Integer> left = new HashMap<>(p.typeLimits());
          List<MemoryJob> limited = limits.pick(q, t, p, now());
          List<MemoryJob> picked = limited != null ? limited : new ArrayList<>();
          for (MemoryJob j : limited != null ? List.<MemoryJob>of() : q.ready) {
            if (picked.size() >= p.max()) break;
            if (!p.allowsType(j.type)) continue;
            if (MemoryFlow.expired(j, now())) continue; // past its start deadline: never starts
            Integer cap = left.get(j.type);
            if (cap != null) {
              if (cap <= 0) continue;
              left.put(j.type, cap - 1);
            }
            picked.add(j);
          }
          Instant now = now();
          List<Job> out = new ArrayList<>(picked.size());
          for (MemoryJob j : picked) {
            begin(j, JobState.PROCESSING);
            j.attempt++;
            j.leaseOwner = p.leaseOwner();
            j.leaseExpiresAt = now.plus(p.leaseDuration());
            j.startedAt = now;
            Job job = end(j, JobState.PROCESSING, now, "claimed", p.leaseOwner());
            t.append(j, JobEvent.STARTED, EventData.started(job, p.leaseOwner()), now);
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
            t.update(j, r -> r.leaseExpiresAt = expires);
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
          Set<UUID> recorded = new LinkedHashSet<>();
          for (JobFinish f : p.outcomes()) {
            MemoryJob j = fenced(f.lease());
            if (j == null) continue;
            finish(j, f, now);
            recorded.add(j.id);
          }
          return recorded;
        });
  }

  private void finish(MemoryJob j, JobFinish f, Instant now) {
    String server = j.leaseOwner;
    switch (f) {
      case JobFinish.Completed c -> {
        begin(j, JobState.COMPLETED);
        j.resultJson = c.resultJson();
        j.finishedAt = now;
        Job job = end(j, JobState.COMPLETED, now, "completed", server);
        t.append(j, JobEvent.COMPLETED, EventData.completed(job, c.resultJson()), now);
      }
      case JobFinish.Retry r -> {
        begin(j, JobState.SCHEDULED);
        j.errors.add(r.error());
        j.scheduledAt = now.plus(r.delay());
        if (r.priority() != null) j.priority = r.priority();
        Job job = end(j, JobState.SCHEDULED, now, "retry", server);
        t.append(j, JobEvent.RETRYING, EventData.retrying(job, r.error(), j.scheduledAt), now);
      }
      case JobFinish.Failed x -> {
        begin(j, JobState.FAILED);
        j.errors.add(x.error());
        j.finishedAt = now;
        Job job = end(j, JobState.FAILED, now, "failed", server);
        t.append(j, JobEvent.FAILED, EventData.failed(job, x.error()), now);
      }
      case JobFinish.Snoozed z -> {
        begin(j, JobState.SCHEDULED);
        j.attempt--;
        j.scheduledAt = now.plus(z.delay());
        Job job = end(j, JobState.SCHEDULED, now, "snoozed", server);
        t.append(j, JobEvent.SCHEDULED, EventData.scheduled(job, j.scheduledAt, "snoozed"), now);
      }
      case JobFinish.Cancelled c -> {
        String reason = c.reason() == null ? "cancelled" : c.reason();
        begin(j, JobState.CANCELLED);
        j.finishedAt = now;
        Job job = end(j, JobState.CANCELLED, now, reason, server);
        t.append(j, JobEvent.CANCELLED, EventData.cancelled(job, reason), now);
      }
      case JobFinish.Released r -> {
        // Back to its old place in the queue: scheduledAt is kept.
        String reason = r.reason() == null ? "released" : r.reason();
        begin(j, JobState.ENQUEUED);
        j.attempt--;
        Job job = end(j, JobState.ENQUEUED, now, reason, server);
        t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, reason), now);
      }
    }
  }

  @Override
  public boolean jobProgress(JobProgressParams p) {
    return locked(
        () -> {
          MemoryJob j = fenced(p.lease());
          if (j == null) return false;
          j.progress = p.progress();
          t.append(
              j, JobEvent.PROGRESS, EventData.progress(p.lease().attempt(), p.progress()), now());
          return true;
        });
  }

  @Override
  public int jobRescueExpired(JobRescueParams p) {
    return locked(
        () -> {
          Instant now = now();
          List<MemoryJob> expired = new ArrayList<>();
          for (MemoryJob j : t.leased) {
            if (expired.size() >= p.limit() || !j.leaseExpiresAt.isBefore(now)) break;
            expired.add(j);
          }
          for (MemoryJob j : expired) {
            JobError error =
                new JobError(
                    j.attempt,
                    now,
                    "lease_expired",
                    "the lease of server %s on attempt %d expired at %s"
                        .formatted(j.leaseOwner, j.attempt, j.leaseExpiresAt),
                    null);
            boolean attemptsLeft = j.attempt < j.maxAttempts;
            JobState to = attemptsLeft ? JobState.ENQUEUED : JobState.FAILED;
            begin(j, to);
            j.errors.add(error);
            if (!attemptsLeft) j.finishedAt = now; // else back to its old place: scheduledAt kept
            Job job = end(j, to, now, "lease_expired", p.serverId());
            if (attemptsLeft) {
              t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, "lease_expired"), now);
            } else {
              t.append(j, JobEvent.FAILED, EventData.failed(job, error), now);
            }
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
          for (MemoryJob j : t.scheduled) {
            if (due.size() >= p.limit() || j.scheduledAt.isAfter(now)) break;
            due.add(j);
          }
          for (MemoryJob j : due) {
            begin(j, JobState.ENQUEUED);
            Job job = end(j, JobState.ENQUEUED, now, "due", p.serverId());
            t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, "due"), now);
          }
          return due.size();
        });
  }

  @Override
  public int jobExpireDue(JobExpireParams p) {
    return locked(
        () -> {
          Instant now = now();
          List<MemoryJob> due = flowControl.expiredWaiting(t, now, p.limit());
          for (MemoryJob j : due) {
            begin(j, JobState.CANCELLED);
            j.finishedAt = now;
            Job job = end(j, JobState.CANCELLED, now, JobExpireParams.REASON, p.serverId());
            t.append(j, JobEvent.CANCELLED, EventData.cancelled(job, JobExpireParams.REASON), now);
          }
          return due.size();
        });
  }

  @Override
  public Job jobChangeState(JobChangeStateParams p) {
    return locked(
        () -> {
          MemoryJob j = t.jobs.get(p.id());
          if (j == null) throw new JobNotFoundException(p.id());
          Instant now = now();
          switch (p.action()) {
            case CANCEL -> {
              JobTransitions.check(j.id, j.state, JobState.CANCELLED, "cancel");
              String reason = p.reason() == null ? "cancelled by user" : p.reason();
              begin(j, JobState.CANCELLED);
              j.finishedAt = now;
              Job job = end(j, JobState.CANCELLED, now, reason, p.serverId());
              t.append(j, JobEvent.CANCELLED, EventData.cancelled(job, reason), now);
              return job;
            }
            case RETRY -> {
              JobTransitions.check(j.id, j.state, JobState.ENQUEUED, "retry");
              MemoryJob holder = j.uniqueKey == null ? null : t.liveByUniqueKey.get(j.uniqueKey);
              if (holder != null) {
                String why = "unique key '%s' is held by live job %s";
                throw new IllegalTransitionException(
                    j.id, j.state, "retry", why.formatted(j.uniqueKey, holder.id));
              }
              flowControl.checkRoomForOne(t, j.queue);
              String reason = p.reason() == null ? "retried by user" : p.reason();
              begin(j, JobState.ENQUEUED);
              j.scheduledAt = now;
              j.finishedAt = null;
              j.maxAttempts = Math.max(j.maxAttempts, j.attempt + 1);
              if (p.priority() != null) j.priority = p.priority();
              Job job = end(j, JobState.ENQUEUED, now, reason, p.serverId());
              t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, reason), now);
              return job;
            }
            case DELETE -> {
              JobTransitions.check(j.id, j.state, JobState.DELETED, "delete");
              String reason = p.reason() == null ? "deleted by user" : p.reason();
              begin(j, JobState.DELETED);
              j.finishedAt = now; // retention of deleted jobs counts from the deletion
              Job job = end(j, JobState.DELETED, now, reason, p.serverId());
              t.append(j, JobEvent.DELETED, EventData.deleted(job, reason), now);
              return job;
            }
          }
          throw new IllegalArgumentException("unknown action " + p.action());
        });
  }

  /**
   * Starts moving a job to state {@code to}: takes it out of its indexes so that the caller may
   * change its fields, then {@link #end} files it under the new state. Between the two, only plain
   * field writes, nothing that can throw.
   */
  private void begin(MemoryJob j, JobState to) {
    if (!JobTransitions.isLegal(j.state, to)) {
      throw new IllegalStateException(
          "bug: job %s cannot move from %s to %s".formatted(j.id, j.state, to));
    }
    t.detach(j);
  }

  /** Ends a move: sets the state, clears the lease when leaving processing, records history. */
  private Job end(MemoryJob j, JobState to, Instant now, String reason, String server) {
    if (to != JobState.PROCESSING) j.clearLease();
    j.state = to;
    j.history.add(new HistoryEntry(to, now, reason, server));
    t.attach(j);
    return j.toJob();
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams p) {
    return locked(
        () -> {
          List<MemoryJob> doomed = new ArrayList<>();
          finishedBefore(JobState.COMPLETED, p.completedBefore(), p.limit(), doomed);
          finishedBefore(JobState.FAILED, p.failedBefore(), p.limit(), doomed);
          finishedBefore(JobState.CANCELLED, p.cancelledBefore(), p.limit(), doomed);
          finishedBefore(JobState.DELETED, p.deletedBefore(), p.limit(), doomed);
          for (MemoryJob j : doomed) {
            t.remove(j);
            deps.removed(j.id);
          }
          return doomed.size();
        });
  }

  private void finishedBefore(JobState state, Instant cutoff, int limit, List<MemoryJob> into) {
    if (cutoff == null) return;
    for (MemoryJob j : t.finished.get(state)) {
      if (into.size() >= limit || !j.finishedAt.isBefore(cutoff)) return;
      if (deps.hasAwaitingChild(t, j.id)) continue; // kept while a job awaits it
      if (deps.inOpenBatch(j.flow.batchId())) continue; // kept until its batch finishes
      into.add(j);
    }
  }

  /** Moves an awaiting job on (released or cancelled), with its event and history entry. */
  private Job moveWaiting(MemoryJob j, JobState to, String reason, Instant now, String server) {
    begin(j, to);
    if (to.isFinished()) j.finishedAt = now;
    Job job = end(j, to, now, reason, server);
    switch (to) {
      case SCHEDULED ->
          t.append(j, JobEvent.SCHEDULED, EventData.scheduled(job, j.scheduledAt, reason), now);
      case ENQUEUED -> t.append(j, JobEvent.ENQUEUED, EventData.enqueued(job, reason), now);
      default -> t.append(j, JobEvent.CANCELLED, EventData.cancelled(job, reason), now);
    }
    return job;
  }

  // ---------------------------------------------------------------- events

  @Override
  public JobEvent eventAppend(EventAppendParams p) {
    return locked(
        () -> {
          MemoryJob j = t.jobs.get(p.jobId());
          if (j == null) throw new JobNotFoundException(p.jobId());
          if (p.lease() != null && fenced(p.lease()) == null) return null;
          return t.append(j, p.type(), p.dataJson() == null ? "{}" : p.dataJson(), now());
        });
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams p) {
    return locked(
        () -> {
          List<JobEvent> out = new ArrayList<>();
          if (p.jobId() != null) {
            for (JobEvent e : t.eventsByJob.getOrDefault(p.jobId(), List.of())) {
              if (out.size() >= p.limit()) break;
              if (e.seq() > p.afterSeq()) out.add(e);
            }
            return out;
          }
          int from = (int) Math.max(0, Math.min(p.afterSeq(), t.events.size()));
          for (int i = from; i < t.events.size() && out.size() < p.limit(); i++) {
            JobEvent e = t.events.get(i);
            if (e != null) out.add(e);
          }
          return out;
        });
  }

  @Override
  public long eventLatestSeq() {
    return locked(() -> (long) t.events.size());
  }

  // ---------------------------------------------------------------- queues, counts, servers

  @Override
  public void queuePause(String queue) {
    locked(() -> t.paused.add(queue));
  }

  @Override
  public void queueResume(String queue) {
    locked(() -> t.paused.remove(queue));
  }

  @Override
  public void queueSetMaxDepth(String queue, Integer maxDepth) {
    locked(
        () -> {
          flowControl.setMaxDepth(queue, maxDepth);
          return null;
        });
  }

  @Override
  public List<QueueStats> queueStats() {
    return locked(
        () -> {
          Set<String> names = new TreeSet<>(t.paused);
          names.addAll(t.queues.keySet());
          names.addAll(flowControl.boundedQueues());
          List<QueueStats> out = new ArrayList<>();
          for (String name : names) {
            MemoryTables.QueueIndex q = t.queues.get(name);
            boolean paused = t.paused.contains(name);
            Integer max = flowControl.maxDepth(name);
            if (q == null || q.total == 0) {
              if (paused || max != null) {
                out.add(new QueueStats(name, MemoryTables.zeroCounts(), null, paused, max));
              }
              continue;
            }
            Instant oldest =
                q.readyByDueTime.isEmpty() ? null : q.readyByDueTime.first().scheduledAt;
            out.add(new QueueStats(name, q.counts, oldest, paused, max));
          }
          return out;
        });
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return locked(() -> Map.copyOf(t.counts));
  }

  @Override
  public void serverHeartbeat(ServerInfo s) {
    locked(
        () ->
            t.servers.put(
                s.id(),
                new ServerInfo(s.id(), s.host(), s.startedAt(), now(), s.queues(), s.running())));
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return locked(
        () ->
            t.servers.values().stream().filter(s -> !s.lastHeartbeatAt().isBefore(since)).toList());
  }

  @Override
  public void serverRemove(String serverId) {
    locked(() -> t.servers.remove(serverId));
  }

  // ---------------------------------------------------------------- leadership, notifications

  @Override
  public boolean leaderTryAcquire(LeaderParams p) {
    return locked(
        () -> {
          Instant now = now();
          MemoryTables.Leader held = t.leaders.get(p.name());
          boolean free =
              held == null || held.owner().equals(p.owner()) || held.expiresAt().isBefore(now);
          if (free) t.leaders.put(p.name(), new MemoryTables.Leader(p.owner(), now.plus(p.ttl())));
          return free;
        });
  }

  @Override
  public void leaderRelease(String name, String owner) {
    locked(() -> t.leaders.computeIfPresent(name, (n, l) -> l.owner().equals(owner) ? null : l));
  }

  /** This store has no notifications: nothing else can change it. */
  @Override
  public AutoCloseable listen(StoreListener listener) {
    return () -> {};
  }

  // ---------------------------------------------------------------- features (Memory*Store)

  @Override
  public Optional<WebhookStore> webhooks() {
    return webhookStore;
  }

  @Override
  public Optional<LimitStore> limits() {
    return limitStore;
  }

  @Override
  public Optional<RecurringStore> recurring() {
    return recurringStore;
  }

  @Override
  public Optional<FlowStore> flows() {
    return flowStore;
  }

  @Override
  public Optional<CursorStore> cursors() {
    return cursorStore;
  }

  /** Drops every job, event, pause and server; later calls throw {@link StorageException}. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      t.clear();
      limits.clear();
      flowControl.clear();
      deps.clear();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals, for the features

  MemoryTables tables() {
    return t;
  }

  MemoryLimits limitTable() {
    return limits;
  }

  MemoryDeps deps() {
    return deps;
  }

  MemoryDeps.Host depsHost() {
    return depsHost;
  }

  /** Runs {@code body} under the store's lock; refuses once the store is closed. */
  <T> T locked(Supplier<T> body) {
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
    MemoryJob j = t.jobs.get(lease.id());
    boolean held =
        j != null
            && j.state == JobState.PROCESSING
            && j.attempt == lease.attempt()
            && lease.leaseOwner() != null
            && lease.leaseOwner().equals(j.leaseOwner);
    return held ? j : null;
  }
}
