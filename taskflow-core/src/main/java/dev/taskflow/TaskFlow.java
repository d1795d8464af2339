package dev.taskflow;

import dev.taskflow.internal.BatchService;
import dev.taskflow.internal.Cursors;
import dev.taskflow.internal.JobValidator;
import dev.taskflow.internal.Json;
import dev.taskflow.internal.LimitService;
import dev.taskflow.internal.WebhookService;
import dev.taskflow.internal.engine.Engine;
import dev.taskflow.internal.engine.EngineConfig;
import dev.taskflow.internal.engine.RegisteredWorker;
import dev.taskflow.internal.recurring.RecurringScheduler;
import dev.taskflow.internal.recurring.RecurringService;
import dev.taskflow.internal.remote.RemoteWorkerService;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.TransactionalStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * TaskFlow in one object: a client that enqueues and inspects jobs, and (after {@link #start()}) a
 * server that runs them. Thread-safe. Close it to shut down gracefully and close its store.
 *
 * {@snippet :
 * try (TaskFlow taskflow = TaskFlow.builder()
 *     .storage(SqliteStorage.open(Path.of("taskflow.db")))
 *     .worker(EmbedArgs.class, (args, ctx) -> embed(args.text()))
 *     .queue("default", q -> q.concurrency(4))
 *     .build()) {
 *   taskflow.start();
 *   Job job = taskflow.enqueue(new EmbedArgs("hello"));
 * }
 * }
 */
public final class TaskFlow implements TaskFlowClient, AutoCloseable {

  private final Storage storage;
  private final Engine engine;
  private final JobValidator validator;
  private final Clock clock;
  private final Duration shutdownGrace;
  private final int maxArgsBytes;
  private final RemoteWorkers remote;
  private final Webhooks webhooks;
  private final JobValidator fireValidator;
  private final RecurringScheduler recurringScheduler;
  private final Recurring recurring;
  private final Limits limits;
  private final Batches batches;
  private final Queues queues = new StoreQueues();
  private final Cluster cluster = new StoreCluster();
  private final PluginHost plugins;

  TaskFlow(
      TaskFlowBuilder b,
      EngineConfig config,
      Map<String, RegisteredWorker<?>> workers,
      PluginHost plugins) {
    this.plugins = plugins;
    this.storage = b.storage;
    this.clock = b.clock;
    this.shutdownGrace = b.shutdownGrace;
    this.maxArgsBytes = b.maxArgsBytes;
    Set<String> extraTypes = Set.copyOf(b.extraTypes);
    this.validator =
        new JobValidator(
            b.clock,
            b.maxArgsBytes,
            type -> {
              RegisteredWorker<?> w = workers.get(type);
              if (w != null) {
                return new JobValidator.TypeDefaults(w.worker().maxAttempts(), null);
              }
              return b.acceptAnyType || extraTypes.contains(type)
                  ? new JobValidator.TypeDefaults(Worker.DEFAULT_MAX_ATTEMPTS, null)
                  : null;
            },
            b.storage);
    // Recurring fires are enqueued by the leader, which need not run every type itself.
    this.fireValidator =
        new JobValidator(
            b.clock,
            b.maxArgsBytes,
            type -> {
              RegisteredWorker<?> w = workers.get(type);
              return new JobValidator.TypeDefaults(
                  w != null ? w.worker().maxAttempts() : Worker.DEFAULT_MAX_ATTEMPTS, null);
            },
            b.storage);
    storage.open();
    this.webhooks = new WebhookService(storage, b.clock);
    this.engine = new Engine(storage, config, workers, List.copyOf(b.listeners));
    RemoteWorkerService remote =
        new RemoteWorkerService(
            storage,
            b.clock,
            config.serverHeartbeatInterval(),
            engine::wakeEvents,
            engine::wakeQueue);
    this.remote = remote;
    engine.onJobsAvailable(remote::jobsAvailable);
    this.batches =
        new BatchService(
            storage,
            b.clock,
            config.serverId(),
            requests -> validator.validateAll(requests, true),
            validator::validate,
            engine::wakeQueue);
    this.recurringScheduler =
        new RecurringScheduler(
            storage,
            requests -> fireValidator.validateAll(requests, requests.size() > 1),
            engine::wakeQueue,
            engine::isLeader,
            config.serverId(),
            b.recurringMisfireGrace);
    this.recurring =
        new RecurringService(
            storage, this::enqueue, this::prepare, b.recurringMinInterval, recurringScheduler);
    // a changed limit may let waiting jobs start: wake the fetchers rather than wait for a poll
    this.limits =
        new LimitService(storage, l -> config.queues().keySet().forEach(engine::wakeQueue));
    b.limits.values().forEach(limits::put);
  }

  public static TaskFlowBuilder builder() {
    return new TaskFlowBuilder();
  }

  /** Starts running jobs in the background: fetch loops, heartbeats, maintenance, plugins. */
  public TaskFlow start() {
    engine.start();
    recurringScheduler.start();
    plugins.start();
    return this;
  }

  /** Shuts down gracefully within the shutdown grace; see {@link #stop(Duration)}. */
  @Override
  public void close() {
    stop(shutdownGrace);
  }

  /**
   * Stops the plugins, stops claiming, waits up to {@code grace} for running jobs, releases the
   * rest back to enqueued (their attempt not consumed), writes every outcome, then closes the
   * store.
   */
  public void stop(Duration grace) {
    try {
      plugins.stop();
      recurringScheduler.stop();
      engine.stop(grace);
    } finally {
      storage.close();
    }
  }

  @Override
  public RemoteWorkers remoteWorkers() {
    return remote;
  }

  @Override
  public Recurring recurring() {
    return recurring;
  }

  @Override
  public Webhooks webhooks() {
    return webhooks;
  }

  @Override
  public Batches batches() {
    return batches;
  }

  @Override
  public Limits limits() {
    return limits;
  }

  EventCursor eventCursor(String name) {
    return new EventCursor(
        storage,
        name,
        engine.serverId(),
        engine::wakeQueue,
        requests -> validator.validateAll(requests, requests.size() > 1));
  }

  boolean tryLead(String name, Duration ttl) {
    Objects.requireNonNull(name, "name");
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("leadership '" + name + "': ttl must be >= 1 ms");
    }
    return storage.leaderTryAcquire(new LeaderParams(name, engine.serverId(), ttl));
  }

  void resign(String name) {
    storage.leaderRelease(Objects.requireNonNull(name, "name"), engine.serverId());
  }

  String serverId() {
    return engine.serverId();
  }

  /**
   * For tests with a manual clock: enqueues the fires of due recurring schedules, promotes due
   * jobs, rescues expired leases, and runs every due job on the calling thread until none is left.
   * Works whether or not {@link #start()} was called.
   *
   * @return how many attempts ran
   */
  public int runDueJobs() {
    recurringScheduler.fireDueNow();
    return engine.runDueJobs();
  }

  // ------------------------------------------------------------------ client

  @Override
  public EnqueueResult enqueue(JobArgs args, EnqueueOptions options) {
    Objects.requireNonNull(args, "args");
    return enqueue(new JobRequest(args.type(), Json.write(args), options));
  }

  @Override
  public EnqueueResult enqueue(JobRequest request) {
    return insert(List.of(validator.validate(request))).get(0);
  }

  @Override
  public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
    if (requests.isEmpty()) return List.of();
    if (requests.size() > 10_000) {
      throw new InvalidJobException(
          "jobs", "max_items", null, "at most 10000 jobs per batch, got " + requests.size());
    }
    List<NewJob> jobs = validator.validateAll(requests, true);
    try {
      return insert(jobs);
    } catch (InvalidJobException e) { // the store names a lone job's parents without jobs/0/
      throw jobs.size() == 1 && e.field().startsWith("dependsOn/") ? e.under("jobs/0/") : e;
    }
  }

  /**
   * Enqueues inside a transaction the caller owns: the jobs exist if and only if that transaction
   * commits. For the JDBC stores {@code transaction} is a {@code java.sql.Connection} with
   * auto-commit off; servers learn of the jobs when it commits (store notifications, else the next
   * poll).
   *
   * {@snippet :
   * taskflow.inTransaction(connection).enqueue(new EmailArgs(to), EnqueueOptions.defaults());
   * }
   *
   * @throws UnsupportedOperationException when the store cannot join a caller's transaction
   */
  public TransactionEnqueuer inTransaction(Object transaction) {
    Objects.requireNonNull(transaction, "transaction");
    if (!(storage instanceof TransactionalStorage tx)) {
      throw new UnsupportedOperationException(
          "the "
              + storage.capabilities().name()
              + " store cannot enqueue inside a caller's transaction");
    }
    return new TransactionEnqueuer() {
      @Override
      public EnqueueResult enqueue(JobArgs args, EnqueueOptions options) {
        Objects.requireNonNull(args, "args");
        return enqueueAll(List.of(new JobRequest(args.type(), Json.write(args), options))).get(0);
      }

      @Override
      public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
        List<NewJob> jobs = validator.validateAll(requests, requests.size() > 1);
        List<EnqueueResult> out = new ArrayList<>();
        for (InsertOutcome o :
            tx.jobInsertManyIn(transaction, new JobInsertManyParams(jobs, engine.serverId()))) {
          out.add(new EnqueueResult(o.job(), o.duplicate()));
        }
        return out;
      }
    };
  }

  List<NewJob> prepare(List<JobRequest> requests) {
    return validator.validateAll(requests, requests.size() > 1);
  }

  void wakeQueue(String queue) {
    engine.wakeQueue(queue);
  }

  private List<EnqueueResult> insert(List<NewJob> jobs) {
    List<InsertOutcome> outcomes =
        storage.jobInsertMany(new JobInsertManyParams(jobs, engine.serverId()));
    Set<String> queues = new HashSet<>();
    List<EnqueueResult> out = new ArrayList<>(outcomes.size());
    for (InsertOutcome o : outcomes) {
      if (!o.duplicate()) queues.add(o.job().queue());
      out.add(new EnqueueResult(o.job(), o.duplicate()));
    }
    queues.forEach(engine::wakeQueue);
    return out;
  }

  @Override
  public Optional<Job> get(UUID id) {
    return storage.jobGet(id);
  }

  @Override
  public Page<Job> list(JobQuery q) {
    if (q.limit() < 1 || q.limit() > JobQuery.MAX_LIMIT) {
      throw new InvalidJobException(
          "limit", "range", null, "limit must be 1.." + JobQuery.MAX_LIMIT + ", was " + q.limit());
    }
    UUID before = Cursors.decode(q.cursor());
    List<Job> rows =
        storage.jobList(
            new JobListParams(
                q.states(),
                q.type(),
                q.queue(),
                q.owner(),
                q.tag(),
                before,
                q.limit() + 1,
                q.createdAfter(),
                q.createdBefore(),
                q.text()));
    if (rows.size() <= q.limit()) return new Page<>(rows, null);
    List<Job> page = rows.subList(0, q.limit());
    return new Page<>(page, Cursors.encode(page.get(page.size() - 1).id()));
  }

  @Override
  public Job cancel(UUID id) {
    return change(id, JobChangeStateParams.Action.CANCEL, "cancelled by user");
  }

  @Override
  public Job retry(UUID id) {
    return change(id, JobChangeStateParams.Action.RETRY, "retried by user");
  }

  @Override
  public Job retry(UUID id, int priority) {
    if (priority < RetryPriority.MIN || priority > RetryPriority.MAX) {
      throw new InvalidJobException(
          "priority",
          "range",
          null,
          "retry of job %s: priority must be %d..%d, was %d"
              .formatted(id, RetryPriority.MIN, RetryPriority.MAX, priority));
    }
    return change(id, JobChangeStateParams.Action.RETRY, "retried by user", priority);
  }

  @Override
  public Job delete(UUID id) {
    return change(id, JobChangeStateParams.Action.DELETE, "deleted by user");
  }

  private Job change(UUID id, JobChangeStateParams.Action action, String reason) {
    return change(id, action, reason, null);
  }

  private Job change(UUID id, JobChangeStateParams.Action action, String reason, Integer priority) {
    Job job =
        storage.jobChangeState(
            new JobChangeStateParams(id, action, reason, engine.serverId(), priority));
    engine.wakeQueue(
        job.queue()); // cancels reach a local running attempt at once; retries run at once
    return job;
  }

  @Override
  public List<JobEvent> events(UUID jobId, String afterEventId, int limit) {
    long after = afterEventId == null ? 0 : JobEvent.parseSeq(afterEventId);
    return storage.eventsSince(
        new EventsSinceParams(after, jobId, Math.max(1, Math.min(limit, 10_000))));
  }

  @Override
  public Subscription subscribe(
      EventFilter filter, String afterEventId, Consumer<JobEvent> listener) {
    return engine.subscribe(filter, afterEventId, listener);
  }

  @Override
  public Queues queues() {
    return queues;
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  /** The queues seen through the store, with this server's wake-ups after a change. */
  private final class StoreQueues implements Queues {
    @Override
    public List<QueueInfo> list() {
      Instant now = storage.now();
      List<QueueInfo> out = new ArrayList<>();
      for (QueueStats s : storage.queueStats()) {
        Duration age =
            s.oldestEnqueuedAt() == null ? null : Duration.between(s.oldestEnqueuedAt(), now);
        if (age != null && age.isNegative()) age = Duration.ZERO;
        out.add(new QueueInfo(s.queue(), s.counts(), age, s.paused(), s.maxDepth()));
      }
      return out;
    }

    @Override
    public void pause(String queue) {
      requireQueueName(queue);
      storage.queuePause(queue);
    }

    @Override
    public void resume(String queue) {
      requireQueueName(queue);
      storage.queueResume(queue);
      engine.wakeQueue(queue);
    }

    @Override
    public void setMaxDepth(String queue, Integer maxDepth) {
      requireQueueName(queue);
      if (maxDepth != null && (maxDepth < 0 || maxDepth > MAX_DEPTH)) {
        throw new InvalidJobException(
            "maxDepth",
            "range",
            null,
            "maxDepth of queue '%s' must be 0..%d or null, was %d"
                .formatted(queue, MAX_DEPTH, maxDepth));
      }
      storage.queueSetMaxDepth(queue, maxDepth);
    }

    @Override
    public OptionalLong position(UUID jobId) {
      long p = storage.jobQueuePosition(jobId);
      return p < 0 ? OptionalLong.empty() : OptionalLong.of(p);
    }

    @Override
    public List<ResourceInfo> resources() {
      return engine.resources();
    }
  }

  private static void requireQueueName(String queue) {
    Names.requireMatch("queue", "queue", queue, Names.MAX_QUEUE_LENGTH);
  }

  private final class StoreCluster implements Cluster {
    @Override
    public String serverId() {
      return engine.serverId();
    }

    @Override
    public List<ServerInfo> servers() {
      return storage.serverList(engine.liveServerCutoff());
    }

    @Override
    public Map<JobState, Long> stateCounts() {
      return storage.jobCountByState();
    }

    @Override
    public Set<String> jobTypes() {
      return engine.jobTypes();
    }

    @Override
    public int maxArgsBytes() {
      return maxArgsBytes;
    }

    @Override
    public long latestEventSeq() {
      return storage.eventLatestSeq();
    }
  }
}
