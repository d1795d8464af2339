package dev.taskflow;

import dev.taskflow.internal.engine.EngineConfig;
import dev.taskflow.internal.engine.EngineControls;
import dev.taskflow.internal.engine.RegisteredWorker;
import dev.taskflow.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Configures a {@link TaskFlow}. Every setter checks its value at once; {@link #build()} checks the
 * whole and freezes it. Defaults are the {@code DEFAULT_*} constants.
 */
public final class TaskFlowBuilder {
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

  Storage storage;
  Clock clock = Clock.systemUTC();
  final Map<String, RegisteredWorker<?>> workers = new LinkedHashMap<>();
  final Map<String, Integer> queues = new LinkedHashMap<>();
  final Map<String, Integer> typeCaps = new LinkedHashMap<>();
  final Map<String, ResourceConfig> resources = new LinkedHashMap<>();
  final Map<String, String> typeResources = new LinkedHashMap<>();
  RetryPriority retryPriority = RetryPriority.KEEP;
  final Set<String> extraTypes = new HashSet<>();
  final List<JobListener> listeners = new ArrayList<>();
  final Map<String, FlowLimit> limits = new LinkedHashMap<>();
  boolean acceptAnyType;
  boolean virtualThreads = true;
  Duration lease = DEFAULT_LEASE;
  Duration pollInterval = DEFAULT_POLL_INTERVAL;
  Duration eventPollInterval = DEFAULT_EVENT_POLL_INTERVAL;
  Duration promoteInterval = DEFAULT_PROMOTE_INTERVAL;
  Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
  Duration serverHeartbeat = DEFAULT_SERVER_HEARTBEAT;
  Duration progressWriteInterval = DEFAULT_PROGRESS_WRITE_INTERVAL;
  Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
  Duration leaderTtl = DEFAULT_LEADER_TTL;
  Duration recurringMinInterval = Recurring.DEFAULT_MIN_INTERVAL;
  Duration recurringMisfireGrace = Recurring.DEFAULT_MISFIRE_GRACE;
  EngineConfig.Retention retention = EngineConfig.Retention.DEFAULT;
  int maxArgsBytes = DEFAULT_MAX_ARGS_BYTES;
  String serverId;
  final List<TaskFlowPlugin> plugins = new ArrayList<>();

  TaskFlowBuilder() {}

  /** The store (required). TaskFlow opens it, and closes it on {@link TaskFlow#close()}. */
  public TaskFlowBuilder storage(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
    return this;
  }

  /** The clock for engine timers and ids; tests pass the same manual clock to the store. */
  public TaskFlowBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Registers a worker for an args record annotated with {@link JobType}. */
  public <A extends JobArgs> TaskFlowBuilder worker(Class<A> argsClass, Worker<A> worker) {
    return worker(JobType.Names.of(argsClass), argsClass, worker);
  }

  /**
   * Registers a worker under an explicit type name; {@code argsClass} may be a record, a {@code
   * Map} or Jackson's {@code JsonNode}.
   */
  public <A> TaskFlowBuilder worker(String type, Class<A> argsClass, Worker<A> worker) {
    Objects.requireNonNull(argsClass, "argsClass");
    Objects.requireNonNull(worker, "worker");
    Names.requireArgument("job type", type, Names.MAX_TYPE_LENGTH);
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
  public TaskFlowBuilder listener(JobListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Accepts enqueues of these types although no worker here runs them (remote workers will). */
  public TaskFlowBuilder acceptTypes(String... types) {
    extraTypes.addAll(List.of(types));
    return this;
  }

  /** Accepts enqueues of any well-formed type (for a client that does not know the workers). */
  public TaskFlowBuilder acceptAnyType(boolean accept) {
    this.acceptAnyType = accept;
    return this;
  }

  /**
   * Runs a queue on this server. Without any, the queue {@code default} runs with concurrency 10.
   */
  public TaskFlowBuilder queue(String name, Consumer<QueueConfig> configure) {
    Names.requireArgument("queue name", name, Names.MAX_QUEUE_LENGTH);
    QueueConfig q = new QueueConfig();
    configure.accept(q);
    queues.put(name, q.concurrency());
    return this;
  }

  /**
   * Stores this limit when TaskFlow is built (replacing a stored one of the same name), for every
   * server of the store to keep; see {@link FlowLimit} and {@link TaskFlow#limits()}.
   */
  public TaskFlowBuilder limit(FlowLimit limit) {
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
  public TaskFlowBuilder resource(String name, Consumer<ResourceConfig> configure) {
    Names.requireArgument("resource name", name, Names.MAX_QUEUE_LENGTH);
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
  public TaskFlowBuilder typeResource(String type, String resource) {
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
  public TaskFlowBuilder retryPriority(RetryPriority retryPriority) {
    this.retryPriority = Objects.requireNonNull(retryPriority, "retryPriority");
    return this;
  }

  public TaskFlowBuilder typeConcurrency(String type, int max) {
    if (max < 1)
      throw new IllegalArgumentException(
          "type concurrency must be >= 1, was " + max + " for " + type);
    typeCaps.put(type, max);
    return this;
  }

  /** Virtual threads (default) or a fixed pool of platform threads sized to the queues. */
  public TaskFlowBuilder virtualThreads(boolean virtualThreads) {
    this.virtualThreads = virtualThreads;
    return this;
  }

  /** Lease length (default 30 s); heartbeats extend it every third of it. */
  public TaskFlowBuilder leaseDuration(Duration lease) {
    this.lease = positive("leaseDuration", lease, Duration.ofMillis(300));
    return this;
  }

  /** The fallback poll when no wake-up arrives (default 1 s, jittered ±20%). */
  public TaskFlowBuilder pollInterval(Duration d) {
    this.pollInterval = positive("pollInterval", d, Duration.ofMillis(10));
    return this;
  }

  /** How often the event log is read when nothing local woke the reader (default 500 ms). */
  public TaskFlowBuilder eventPollInterval(Duration d) {
    this.eventPollInterval = positive("eventPollInterval", d, Duration.ofMillis(10));
    return this;
  }

  /** How often due scheduled jobs are promoted (default 500 ms). */
  public TaskFlowBuilder promoteInterval(Duration d) {
    this.promoteInterval = positive("promoteInterval", d, Duration.ofMillis(10));
    return this;
  }

  /**
   * How long the maintenance leadership lasts unless renewed (default 30 s; renewed every third).
   * When the leader dies, another server takes over within this time.
   */
  public TaskFlowBuilder leaderTtl(Duration d) {
    this.leaderTtl = positive("leaderTtl", d, Duration.ofMillis(300));
    return this;
  }

  /**
   * The shortest interval between two fires a recurring schedule may have (default 1 s); a put of a
   * more frequent schedule is refused with rule {@code too_frequent}.
   */
  public TaskFlowBuilder recurringMinInterval(Duration d) {
    this.recurringMinInterval = positive("recurringMinInterval", d, Duration.ofMillis(1));
    return this;
  }

  /**
   * How late a recurring fire may be enqueued and still count as on time (default 1 min); later
   * ones (after downtime or a leader failover) follow the schedule's misfire policy.
   */
  public TaskFlowBuilder recurringMisfireGrace(Duration d) {
    this.recurringMisfireGrace = positive("recurringMisfireGrace", d, Duration.ofMillis(1));
    return this;
  }

  /** How long finished jobs are kept: completed 7 days, failed and cancelled 30, deleted 7. */
  public TaskFlowBuilder retention(
      Duration completed, Duration failed, Duration cancelled, Duration deleted) {
    this.retention = new EngineConfig.Retention(completed, failed, cancelled, deleted);
    return this;
  }

  public TaskFlowBuilder retentionInterval(Duration d) {
    this.retentionInterval = positive("retentionInterval", d, Duration.ofSeconds(1));
    return this;
  }

  public TaskFlowBuilder serverHeartbeatInterval(Duration d) {
    this.serverHeartbeat = positive("serverHeartbeatInterval", d, Duration.ofMillis(100));
    return this;
  }

  /** Progress is written to the store at most this often per job (default 1 s). */
  public TaskFlowBuilder progressWriteInterval(Duration d) {
    this.progressWriteInterval = positive("progressWriteInterval", d, Duration.ZERO);
    return this;
  }

  /**
   * How long {@link TaskFlow#close()} waits for running jobs before releasing them (default 30 s).
   */
  public TaskFlowBuilder shutdownGrace(Duration d) {
    if (d == null || d.isNegative())
      throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + d);
    this.shutdownGrace = d;
    return this;
  }

  /** The largest args accepted, in UTF-8 bytes of JSON (default 256 KiB). */
  public TaskFlowBuilder maxArgsBytes(int bytes) {
    if (bytes < 2 || bytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("maxArgsBytes must be 2..16 MiB, was " + bytes);
    }
    this.maxArgsBytes = bytes;
    return this;
  }

  /**
   * Installs a plugin (webhook delivery, a bridge, authentication): its workers and listeners are
   * registered when {@link #build()} runs, it starts with {@link TaskFlow#start()} and stops first
   * on close. Each plugin instance once.
   */
  public TaskFlowBuilder plugin(TaskFlowPlugin plugin) {
    Objects.requireNonNull(plugin, "plugin");
    if (plugins.contains(plugin)) {
      throw new IllegalArgumentException("plugin " + plugin.name() + " is installed already");
    }
    plugins.add(plugin);
    return this;
  }

  /** A fixed server id (default: host, pid and a random suffix). */
  public TaskFlowBuilder serverId(String id) {
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
    PluginHost host = new PluginHost(plugins);
    host.install(this);
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
    TaskFlow built = new TaskFlow(this, config, workers, host);
    host.bind(built);
    return built;
  }

  /** The retry priority and the resources, with each worker's own resource resolved. */
  private EngineControls controls() {
    Map<String, String> typeResources = new LinkedHashMap<>();
    workers.forEach(
        (type, w) -> {
          String own = w.worker().resource();
          String r = own != null ? own : this.typeResources.get(type);
          if (r == null) return;
          Names.requireArgument(
              "the resource of job type '" + type + "'", r, Names.MAX_QUEUE_LENGTH);
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
