package dev.taskflow;

import dev.taskflow.internal.Cursors;
import dev.taskflow.internal.JobValidator;
import dev.taskflow.internal.Json;
import dev.taskflow.internal.engine.Engine;
import dev.taskflow.internal.engine.EngineConfig;
import dev.taskflow.internal.engine.EngineControls;
import dev.taskflow.internal.engine.RegisteredWorker;
import dev.taskflow.internal.recurring.RecurringScheduler;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import dev.taskflow.spi.TransactionalStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
  /**
   * The type prefix of TaskFlow's own jobs (such as {@code taskflow.webhook.deliver}). Only its
   * servers run them: the HTTP API refuses to enqueue them and remote workers never lease them.
   */
  public static final String INTERNAL_TYPE_PREFIX = "taskflow.";

  private final Storage storage;
  private final Engine engine;
  private final JobValidator validator;
  private final Clock clock;
  private final Duration shutdownGrace;
  private final RemoteWorkers remote;
  private final Webhooks webhooks;
  private final JobValidator fireValidator;
  private final RecurringScheduler recurringScheduler;
  private final Recurring recurring;
  private final Limits limits;
  private final Batches batches;

  private TaskFlow(Builder b, EngineConfig config, Map<String, RegisteredWorker<?>> workers) {
    this.storage = b.storage;
    this.clock = b.clock;
    this.shutdownGrace = b.shutdownGrace;
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
    this.remote = new RemoteWorkers(storage, this, b.clock, config.serverHeartbeatInterval());
    this.webhooks = new Webhooks(storage, b.clock);
    this.engine = new Engine(storage, config, workers, List.copyOf(b.listeners));
    engine.onJobsAvailable(remote::jobsAvailable);
    this.batches =
        new Batches(
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
    this.recurring = new Recurring(storage, this, b.recurringMinInterval, recurringScheduler);
    // a changed limit may let waiting jobs start: wake the fetchers rather than wait for a poll
    this.limits = new Limits(storage, l -> config.queues().keySet().forEach(engine::wakeQueue));
    b.limits.values().forEach(limits::put);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts running jobs in the background: fetch loops, heartbeats, maintenance. */
  public TaskFlow start() {
    engine.start();
    recurringScheduler.start();
    return this;
  }

  /** Shuts down gracefully (see {@link Builder#shutdownGrace}) and closes the store. */
  @Override
  public void close() {
    stop(shutdownGrace);
  }

  /**
   * Stops claiming, waits up to {@code grace} for running jobs, releases the rest back to enqueued
   * (their attempt not consumed), writes every outcome, then closes the store.
   */
  public void stop(Duration grace) {
    try {
      recurringScheduler.stop();
      engine.stop(grace);
    } finally {
      storage.close();
    }
  }

  /** Leases jobs to workers in other processes or languages; see {@link RemoteWorkers}. */
  public RemoteWorkers remoteWorkers() {
    return remote;
  }

  /** The recurring schedules in the store; the maintenance leader enqueues their fires. */
  @Override
  public Recurring recurring() {
    return recurring;
  }

  /** The webhook registrations in the store (delivered by {@code taskflow-web}). */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** Batches of jobs enqueued atomically, with progress and a callback; see {@link Batches}. */
  public Batches batches() {
    return batches;
  }

  /**
   * The ids of the jobs that depend on {@code jobId} (its children), at most {@code limit}.
   *
   * @throws FeatureUnsupportedException when the store keeps no job dependencies
   */
  public List<UUID> dependents(UUID jobId, int limit) {
    return storage
        .flows()
        .orElseThrow(() -> StorageFeature.FLOWS.missingIn(storage))
        .jobDependents(Objects.requireNonNull(jobId, "jobId"), limit);
  }

  /** The cluster-wide concurrency and rate limits kept in the store; see {@link FlowLimit}. */
  public Limits limits() {
    return limits;
  }

  /**
   * A durable cursor over the store's event log, for work that turns events into jobs exactly once
   * across the cluster; see {@link EventCursor}.
   */
  public EventCursor eventCursor(String name) {
    return new EventCursor(
        storage,
        name,
        engine.serverId(),
        engine::wakeQueue,
        requests -> validator.validateAll(requests, requests.size() > 1));
  }

  /**
   * Takes or renews a named leadership for this server, until the store's now plus {@code ttl}:
   * true while this server holds it. For extensions whose work runs on one server of the cluster
   * (webhook fan-out); renew well within the ttl. The engine's own leadership is named {@code
   * maintenance}: use another name.
   */
  public boolean tryLead(String name, Duration ttl) {
    Objects.requireNonNull(name, "name");
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("leadership '" + name + "': ttl must be >= 1 ms");
    }
    return storage.leaderTryAcquire(new LeaderParams(name, engine.serverId(), ttl));
  }

  /** Gives a leadership taken with {@link #tryLead} up, if this server holds it. */
  public void resign(String name) {
    storage.leaderRelease(Objects.requireNonNull(name, "name"), engine.serverId());
  }

  void wakeEvents() {
    engine.wakeEvents();
  }

  /** A remote worker finished an attempt: retries and releases may be claimable, events are new. */
  void afterRemoteFinish(Job job) {
    engine.wakeQueue(job.queue());
  }

  /** This server's id, as in leases, history and the servers list. */
  public String serverId() {
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
   * Enqueues inside a transaction the caller owns: the job exists if and only if that transaction
   * commits. For the JDBC stores {@code transaction} is a {@code java.sql.Connection} with
   * auto-commit off; servers learn of the job when it commits (store notifications, else the next
   * poll).
   *
   * @throws UnsupportedOperationException when the store cannot join a caller's transaction
   */
  public EnqueueResult enqueueIn(Object transaction, JobArgs args, EnqueueOptions options) {
    Objects.requireNonNull(args, "args");
    return enqueueAllIn(
            transaction, List.of(new JobRequest(args.type(), Json.write(args), options)))
        .get(0);
  }

  /** {@link #enqueueAll} inside the caller's transaction; see {@link #enqueueIn}. */
  public List<EnqueueResult> enqueueAllIn(Object transaction, List<JobRequest> requests) {
    Objects.requireNonNull(transaction, "transaction");
    if (!(storage instanceof TransactionalStorage tx)) {
      throw new UnsupportedOperationException(
          "the "
              + storage.capabilities().name()
              + " store cannot enqueue inside a caller's transaction");
    }
    List<NewJob> jobs = validator.validateAll(requests, requests.size() > 1);
    List<EnqueueResult> out = new ArrayList<>();
    for (InsertOutcome o :
        tx.jobInsertManyIn(transaction, new JobInsertManyParams(jobs, engine.serverId()))) {
      out.add(new EnqueueResult(o.job(), o.duplicate()));
    }
    return out;
  }

  /**
   * Validates requests and applies defaults exactly as {@link #enqueueAll} does, without inserting:
   * for extensions that insert jobs through their own storage call (a cursor advance, a recurring
   * fire) in one transaction with other writes.
   *
   * @throws InvalidJobException naming the first bad request
   */
  public List<NewJob> prepare(List<JobRequest> requests) {
    return validator.validateAll(requests, requests.size() > 1);
  }

  /**
   * Wakes this server's fetchers of the queue, after jobs were inserted outside {@link #enqueue}.
   */
  public void wakeQueue(String queue) {
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
  public OptionalLong queuePosition(UUID id) {
    long p = storage.jobQueuePosition(id);
    return p < 0 ? OptionalLong.empty() : OptionalLong.of(p);
  }

  @Override
  public JobPage list(JobQuery q) {
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
    if (rows.size() <= q.limit()) return new JobPage(rows, null);
    List<Job> page = rows.subList(0, q.limit());
    return new JobPage(page, Cursors.encode(page.get(page.size() - 1).id()));
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
  public long latestEventSeq() {
    return storage.eventLatestSeq();
  }

  @Override
  public Subscription subscribe(
      EventFilter filter, String afterEventId, Consumer<JobEvent> listener) {
    return engine.subscribe(filter, afterEventId, listener);
  }

  @Override
  public List<QueueInfo> queues() {
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
  public void pauseQueue(String queue) {
    requireQueueName(queue);
    storage.queuePause(queue);
  }

  @Override
  public void resumeQueue(String queue) {
    requireQueueName(queue);
    storage.queueResume(queue);
    engine.wakeQueue(queue);
  }

  @Override
  public List<ResourceInfo> resources() {
    return engine.resources();
  }

  @Override
  public void setQueueMaxDepth(String queue, Integer maxDepth) {
    requireQueueName(queue);
    if (maxDepth != null && (maxDepth < 0 || maxDepth > MAX_QUEUE_DEPTH)) {
      throw new InvalidJobException(
          "maxDepth",
          "range",
          null,
          "maxDepth of queue '%s' must be 0..%d or null, was %d"
              .formatted(queue, MAX_QUEUE_DEPTH, maxDepth));
    }
    storage.queueSetMaxDepth(queue, maxDepth);
  }

  private static void requireQueueName(String queue) {
    if (queue == null
        || queue.isEmpty()
        || queue.length() > JobValidator.MAX_QUEUE_LENGTH
        || !JobValidator.NAME.matcher(queue).matches()) {
      throw new InvalidJobException(
          "queue", "pattern", null, "not a valid queue name: '" + queue + "'");
    }
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

  // ------------------------------------------------------------------ builder

  /**
   * Configures a {@link TaskFlow}. Every setter checks its value at once; {@link #build()} checks
   * the whole and freezes it. Defaults are the {@code DEFAULT_*} constants.
   */
  public static final class Builder {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_EVENT_POLL_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_PROMOTE_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_SERVER_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PROGRESS_WRITE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ARGS_BYTES = 256 * 1024;
    public static final Duration DEFAULT_LEADER_TTL = Duration.ofSeconds(30);

    private Storage storage;
    private Clock clock = Clock.systemUTC();
    private final Map<String, RegisteredWorker<?>> workers = new LinkedHashMap<>();
    private final Map<String, Integer> queues = new LinkedHashMap<>();
    private final Map<String, Integer> typeCaps = new LinkedHashMap<>();
    private final Map<String, ResourceConfig> resources = new LinkedHashMap<>();
    private final Map<String, String> typeResources = new LinkedHashMap<>();
    private RetryPriority retryPriority = RetryPriority.KEEP;
    private final Set<String> extraTypes = new HashSet<>();
    private final List<JobListener> listeners = new ArrayList<>();
    private final Map<String, FlowLimit> limits = new LinkedHashMap<>();
    private boolean acceptAnyType;
    private boolean virtualThreads = true;
    private Duration lease = DEFAULT_LEASE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration eventPollInterval = DEFAULT_EVENT_POLL_INTERVAL;
    private Duration promoteInterval = DEFAULT_PROMOTE_INTERVAL;
    private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
    private Duration serverHeartbeat = DEFAULT_SERVER_HEARTBEAT;
    private Duration progressWriteInterval = DEFAULT_PROGRESS_WRITE_INTERVAL;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration leaderTtl = DEFAULT_LEADER_TTL;
    private Duration recurringMinInterval = Recurring.DEFAULT_MIN_INTERVAL;
    private Duration recurringMisfireGrace = Recurring.DEFAULT_MISFIRE_GRACE;
    private EngineConfig.Retention retention = EngineConfig.Retention.DEFAULT;
    private int maxArgsBytes = DEFAULT_MAX_ARGS_BYTES;
    private String serverId;

    private Builder() {}

    /** The store (required). TaskFlow opens it, and closes it on {@link TaskFlow#close()}. */
    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** The clock for engine timers and ids; tests pass the same manual clock to the store. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Registers a worker for an args record annotated with {@link JobType}. */
    public <A extends JobArgs> Builder worker(Class<A> argsClass, Worker<A> worker) {
      return worker(JobType.Names.of(argsClass), argsClass, worker);
    }

    /**
     * Registers a worker under an explicit type name; {@code argsClass} may be a record, a {@code
     * Map} or Jackson's {@code JsonNode}.
     */
    public <A> Builder worker(String type, Class<A> argsClass, Worker<A> worker) {
      Objects.requireNonNull(argsClass, "argsClass");
      Objects.requireNonNull(worker, "worker");
      if (type == null
          || type.length() > JobValidator.MAX_TYPE_LENGTH
          || !JobValidator.NAME.matcher(type).matches()) {
        throw new IllegalArgumentException(
            "job type must match " + JobValidator.NAME.pattern() + ", was '" + type + "'");
      }
      if (workers.containsKey(type)) {
        throw new IllegalArgumentException(
            "a worker is already registered for job type '" + type + "'");
      }
      workers.put(type, new RegisteredWorker<>(type, argsClass, worker));
      return this;
    }

    /**
     * Adds a listener that hears every job event, on its own thread with a bounded queue, so it can
     * never slow the engine; see {@link JobListener}.
     */
    public Builder listener(JobListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Accepts enqueues of these types although no worker here runs them (remote workers will). */
    public Builder acceptTypes(String... types) {
      extraTypes.addAll(List.of(types));
      return this;
    }

    /** Accepts enqueues of any well-formed type (for a client that does not know the workers). */
    public Builder acceptAnyType(boolean accept) {
      this.acceptAnyType = accept;
      return this;
    }

    /**
     * Runs a queue on this server. Without any, the queue {@code default} runs with concurrency 10.
     */
    public Builder queue(String name, Consumer<QueueConfig> configure) {
      if (name == null
          || name.length() > JobValidator.MAX_QUEUE_LENGTH
          || !JobValidator.NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "queue name must match " + JobValidator.NAME.pattern() + ", was '" + name + "'");
      }
      QueueConfig q = new QueueConfig();
      configure.accept(q);
      queues.put(name, q.concurrency());
      return this;
    }

    /**
     * Stores this limit when TaskFlow is built (replacing a stored one of the same name), for every
     * server of the store to keep; see {@link FlowLimit} and {@link TaskFlow#limits()}.
     */
    public Builder limit(FlowLimit limit) {
      Objects.requireNonNull(limit, "limit");
      limits.put(limit.name(), limit);
      return this;
    }

    /** At most {@code max} jobs of this type run at once on this server, across its queues. */
    /**
     * Declares the adaptive concurrency limit of a shared downstream resource on this server (see
     * {@link ResourceConfig}); jobs of the types that use it ({@link Worker#resource()}, {@link
     * #typeResource}) are claimed only while its limit has room. A resource that workers name but
     * that is not declared gets the defaults.
     *
     * {@snippet :
     * builder.resource("model-server", r -> r.min(1).max(32).initial(8))
     *     .typeResource("embedding.generate", "model-server");
     * }
     */
    public Builder resource(String name, Consumer<ResourceConfig> configure) {
      if (name == null
          || name.length() > JobValidator.MAX_QUEUE_LENGTH
          || !JobValidator.NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "resource name must match " + JobValidator.NAME.pattern() + ", was '" + name + "'");
      }
      ResourceConfig r = new ResourceConfig();
      configure.accept(r);
      r.validate(name);
      resources.put(name, r);
      return this;
    }

    /**
     * Says that jobs of {@code type} use the shared resource {@code resource}, for workers that do
     * not name one themselves ({@link Worker#resource()}, which lambdas cannot override).
     */
    public Builder typeResource(String type, String resource) {
      if (type == null || resource == null || resource.isEmpty()) {
        throw new IllegalArgumentException(
            "typeResource needs a type and a resource, got " + type + " -> " + resource);
      }
      typeResources.put(type, resource);
      return this;
    }

    /**
     * The priority of retries, for workers whose {@link Worker#retryPriority()} is null (default
     * {@link RetryPriority#keep()}): e.g. {@link RetryPriority#lowerBy(int)} so retries run after
     * fresh work.
     */
    public Builder retryPriority(RetryPriority retryPriority) {
      this.retryPriority = Objects.requireNonNull(retryPriority, "retryPriority");
      return this;
    }

    public Builder typeConcurrency(String type, int max) {
      if (max < 1)
        throw new IllegalArgumentException(
            "type concurrency must be >= 1, was " + max + " for " + type);
      typeCaps.put(type, max);
      return this;
    }

    /** Virtual threads (default) or a fixed pool of platform threads sized to the queues. */
    public Builder virtualThreads(boolean virtualThreads) {
      this.virtualThreads = virtualThreads;
      return this;
    }

    /** Lease length (default 30 s); heartbeats extend it every third of it. */
    public Builder leaseDuration(Duration lease) {
      this.lease = positive("leaseDuration", lease, Duration.ofMillis(300));
      return this;
    }

    /** The fallback poll when no wake-up arrives (default 1 s, jittered ±20%). */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive("pollInterval", d, Duration.ofMillis(10));
      return this;
    }

    /** How often the event log is read when nothing local woke the reader (default 500 ms). */
    public Builder eventPollInterval(Duration d) {
      this.eventPollInterval = positive("eventPollInterval", d, Duration.ofMillis(10));
      return this;
    }

    /** How often due scheduled jobs are promoted (default 500 ms). */
    public Builder promoteInterval(Duration d) {
      this.promoteInterval = positive("promoteInterval", d, Duration.ofMillis(10));
      return this;
    }

    /**
     * How long the maintenance leadership lasts unless renewed (default 30 s; renewed every third).
     * When the leader dies, another server takes over within this time.
     */
    public Builder leaderTtl(Duration d) {
      this.leaderTtl = positive("leaderTtl", d, Duration.ofMillis(300));
      return this;
    }

    /**
     * The shortest interval between two fires a recurring schedule may have (default 1 s); a put of
     * a more frequent schedule is refused with rule {@code too_frequent}.
     */
    public Builder recurringMinInterval(Duration d) {
      this.recurringMinInterval = positive("recurringMinInterval", d, Duration.ofMillis(1));
      return this;
    }

    /**
     * How late a recurring fire may be enqueued and still count as on time (default 1 min); later
     * ones (after downtime or a leader failover) follow the schedule's misfire policy.
     */
    public Builder recurringMisfireGrace(Duration d) {
      this.recurringMisfireGrace = positive("recurringMisfireGrace", d, Duration.ofMillis(1));
      return this;
    }

    /** How long finished jobs are kept: completed 7 days, failed and cancelled 30, deleted 7. */
    public Builder retention(
        Duration completed, Duration failed, Duration cancelled, Duration deleted) {
      this.retention = new EngineConfig.Retention(completed, failed, cancelled, deleted);
      return this;
    }

    public Builder retentionInterval(Duration d) {
      this.retentionInterval = positive("retentionInterval", d, Duration.ofSeconds(1));
      return this;
    }

    public Builder serverHeartbeatInterval(Duration d) {
      this.serverHeartbeat = positive("serverHeartbeatInterval", d, Duration.ofMillis(100));
      return this;
    }

    /** Progress is written to the store at most this often per job (default 1 s). */
    public Builder progressWriteInterval(Duration d) {
      this.progressWriteInterval = positive("progressWriteInterval", d, Duration.ZERO);
      return this;
    }

    /**
     * How long {@link TaskFlow#close()} waits for running jobs before releasing them (default 30
     * s).
     */
    public Builder shutdownGrace(Duration d) {
      if (d == null || d.isNegative())
        throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + d);
      this.shutdownGrace = d;
      return this;
    }

    /** The largest args accepted, in UTF-8 bytes of JSON (default 256 KiB). */
    public Builder maxArgsBytes(int bytes) {
      if (bytes < 2 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxArgsBytes must be 2..16 MiB, was " + bytes);
      }
      this.maxArgsBytes = bytes;
      return this;
    }

    /** A fixed server id (default: host, pid and a random suffix). */
    public Builder serverId(String id) {
      if (id == null || id.isBlank() || id.length() > 128) {
        throw new IllegalArgumentException("serverId must be 1..128 characters, was '" + id + "'");
      }
      this.serverId = id;
      return this;
    }

    public TaskFlow build() {
      if (storage == null) {
        throw new IllegalStateException(
            "TaskFlow needs a store: call storage(...) (e.g. SqliteStorage or InMemoryStorage)");
      }
      Map<String, Integer> qs =
          queues.isEmpty()
              ? Map.of(EnqueueOptions.DEFAULT_QUEUE, QueueConfig.DEFAULT_CONCURRENCY)
              : queues;
      String id = serverId != null ? serverId : defaultServerId();
      Duration heartbeat = lease.dividedBy(3);
      EngineConfig config =
          new EngineConfig(
              id,
              clock,
              qs,
              typeCaps,
              virtualThreads,
              lease,
              heartbeat,
              pollInterval,
              eventPollInterval,
              promoteInterval,
              lease.dividedBy(2),
              retentionInterval,
              serverHeartbeat,
              progressWriteInterval,
              leaderTtl,
              retention,
              controls());
      return new TaskFlow(this, config, workers);
    }

    /** The retry priority and the resources, with each worker's own resource resolved. */
    private EngineControls controls() {
      Map<String, String> typeResources = new LinkedHashMap<>();
      workers.forEach(
          (type, w) -> {
            String own = w.worker().resource();
            String r = own != null ? own : this.typeResources.get(type);
            if (r == null) return;
            if (r.isEmpty()
                || r.length() > JobValidator.MAX_QUEUE_LENGTH
                || !JobValidator.NAME.matcher(r).matches()) {
              throw new IllegalArgumentException(
                  "worker of type '%s' names resource '%s', which does not match %s"
                      .formatted(type, r, JobValidator.NAME.pattern()));
            }
            typeResources.put(type, r);
          });
      return new EngineControls(retryPriority, resources, typeResources);
    }

    private static Duration positive(String name, Duration d, Duration min) {
      if (d == null || d.compareTo(min) < 0 || d.isZero() && !min.isZero()) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", was " + d);
      }
      return d;
    }

    private static String defaultServerId() {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "host";
      }
      String rnd =
          Long.toString(
              java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
      return host + "-" + ProcessHandle.current().pid() + "-" + rnd;
    }
  }
}
