package dev.taskflow.internal.engine;

import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.ServerInfo;
import dev.taskflow.ServiceLoop;
import dev.taskflow.StorageException;
import dev.taskflow.Subscription;
import dev.taskflow.internal.Backoff;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.JobExpireParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import dev.taskflow.spi.StoreListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs: a fetch loop per queue claims batches sized to the free slots, each job runs on its
 * own (virtual by default) thread, outcomes are written in batches, a separate heartbeat thread
 * keeps every held lease alive, and maintenance promotes, rescues and prunes.
 *
 * <p>Life cycle: construct (the event bus and timers exist, so a client-only or manual instance
 * works), {@link #start()} to run jobs in the background, {@link #stop(Duration)} to shut down
 * gracefully. {@link #runDueJobs()} runs due jobs on the caller's thread for tests.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final int MAINTENANCE_BATCH = 1000;
  static final String MAINTENANCE_LEADERSHIP = "maintenance";
  private static final Duration SHUTDOWN_FLUSH_DEADLINE = Duration.ofSeconds(10);

  private final Storage storage;
  private final EngineConfig config;
  private final Map<String, RegisteredWorker<?>> workers;
  private final EventBus bus;
  private final Completer completer;

  /**
   * Every attempt whose lease this server holds, until its outcome is written. Keyed by the whole
   * lease: after a rescue this server may hold a newer attempt of a job while a stale one still
   * runs.
   */
  private final Map<JobLease, RunningJob> leases = new ConcurrentHashMap<>();

  /** How many local attempts each job has: a quick filter for cancel events. */
  private final Map<UUID, AtomicInteger> attemptsPerJob = new ConcurrentHashMap<>();

  /**
   * Attempts that ran here lately (to the nanoTime they ended): their progress already went out
   * live, so the persisted copies the tailer reads a moment later are not delivered again. Keyed by
   * attempt, so a retry that runs on another server still shows its progress here.
   */
  private final RecentAttempts recentlyLocal = new RecentAttempts();

  private final TypeCaps typeCaps;
  private final ResourceLimits resources;
  private final Map<String, Fetcher> fetchers = new LinkedHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<ServiceLoop> services = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Instant startedAt;
  private final String host;
  private final Backoff heartbeatBackoff = new Backoff("heartbeat");
  private volatile long lastHeartbeatOkNanos = System.nanoTime();
  private ExecutorService jobThreads;
  private volatile boolean started;
  private volatile boolean stopping;

  /** Whether this server holds the maintenance leadership (retention runs on the leader only). */
  private volatile boolean leader;

  private AutoCloseable storeNotifications = () -> {};

  /** Told whenever jobs may have become claimable (remote workers long-poll on it). */
  private volatile Runnable jobsAvailableHook = () -> {};

  private final List<ListenerDispatcher> listeners = new ArrayList<>();

  /**
   * Moves awaiting jobs and batches on when jobs finish; see {@link FlowResolver}. Null when the
   * store keeps no batches and dependencies.
   */
  private final FlowResolver flow;

  public Engine(
      Storage storage,
      EngineConfig config,
      Map<String, RegisteredWorker<?>> workers,
      List<JobListener> jobListeners) {
    this.storage = storage;
    this.config = config;
    this.workers = Map.copyOf(workers);
    this.typeCaps = new TypeCaps(config.typeCaps());
    this.resources =
        new ResourceLimits(config.controls().resources(), config.controls().typeResources());
    this.bus = new EventBus(storage, config.eventPollInterval(), this::isLocalProgress);
    this.completer = new Completer(storage, this::outcomeWritten);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("taskflow-heartbeat"));
    this.startedAt = config.clock().instant();
    this.host = hostName();
    long pollMillis = config.pollInterval().toMillis();
    config
        .queues()
        .forEach((q, c) -> fetchers.put(q, new Fetcher(q, c, pollMillis, this::claimAndStart)));
    bus.start();
    // Interrupt local attempts that a user cancelled or deleted, on whichever node it was done.
    bus.subscribe(
        new EventFilter(null, Set.of(JobEvent.CANCELLED, JobEvent.DELETED), null, null, null),
        null,
        this::onCancelledOrDeleted);
    this.flow =
        storage
            .flows()
            .map(f -> new FlowResolver(f, config.serverId(), this::wakeAllQueues))
            .orElse(null);
    if (flow != null) {
      // A finished job may release its dependents or finish its batch, whichever server did it.
      bus.subscribe(
          new EventFilter(
              null,
              Set.of(JobEvent.COMPLETED, JobEvent.FAILED, JobEvent.CANCELLED, JobEvent.DELETED),
              null,
              null,
              null),
          null,
          e -> flow.wake());
    }
    for (JobListener l : jobListeners) {
      ListenerDispatcher d = new ListenerDispatcher(l, listeners.size());
      listeners.add(d);
      bus.subscribe(EventFilter.ALL, null, d::offer);
    }
  }

  public String serverId() {
    return config.serverId();
  }

  public Set<String> jobTypes() {
    return workers.keySet();
  }

  public RegisteredWorker<?> worker(String type) {
    return workers.get(type);
  }

  public Subscription subscribe(
      EventFilter filter, String afterEventId, Consumer<JobEvent> listener) {
    return bus.subscribe(filter, afterEventId, listener);
  }

  /** Local writes call this so fetchers and subscribers react at once. */
  public void wakeQueue(String queue) {
    Fetcher f = fetchers.get(queue);
    if (f != null) f.wake();
    jobsAvailableHook.run();
    bus.wake();
  }

  /** Registers the hook told whenever jobs may have become claimable on some queue. */
  public void onJobsAvailable(Runnable hook) {
    this.jobsAvailableHook = hook;
  }

  private void wakeAllQueues() {
    fetchers.values().forEach(Fetcher::wake);
    jobsAvailableHook.run();
    bus.wake();
  }

  public void wakeEvents() {
    bus.wake();
  }

  /** Starts fetching, heartbeating and maintenance. */
  public void start() {
    if (started) return;
    started = true;
    jobThreads =
        config.virtualThreads()
            ? Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("taskflow-job-", 0).factory())
            : Executors.newFixedThreadPool(
                Math.max(1, config.queues().values().stream().mapToInt(Integer::intValue).sum()),
                Thread.ofPlatform().daemon().name("taskflow-job-", 0).factory());
    completer.start();
    scheduleMaintenance("heartbeat", config.heartbeatInterval(), this::heartbeat);
    scheduleMaintenance(
        "progress writer",
        max(config.progressWriteInterval(), Duration.ofMillis(200)),
        this::flushDueProgress);
    scheduleMaintenance("promoter", config.promoteInterval(), this::promoteDue);
    scheduleMaintenance("expirer", config.promoteInterval(), this::expireDue);
    scheduleMaintenance("rescuer", config.rescueInterval(), this::rescueExpired);
    if (flow != null) {
      flow.start(config.promoteInterval());
    } else {
      log.info(
          "flow resolver off: the {} store does not keep {}",
          storage.capabilities().name(),
          StorageFeature.FLOWS.description());
    }
    scheduleMaintenance("leader election", config.leaderTtl().dividedBy(3), this::renewLeadership);
    scheduleMaintenance("retention", config.retentionInterval(), this::applyRetention);
    try {
      registerServer(); // listed on /servers (and its queues on /metrics) as soon as start returns
    } catch (StorageException e) {
      log.warn(
          "server {}: first registration failed, retried by the registry: {}",
          config.serverId(),
          e.getMessage());
    }
    scheduleMaintenance("server registry", config.serverHeartbeatInterval(), this::registerServer);
    fetchers.values().forEach(Fetcher::start);
    storeNotifications =
        storage.listen(
            new StoreListener() {
              @Override
              public void jobsAvailable(String queue) {
                Fetcher f = fetchers.get(queue);
                if (f != null) f.wake();
                jobsAvailableHook.run();
              }

              @Override
              public void eventsAppended() {
                bus.wake();
              }
            });
    log.info(
        "TaskFlow server {} started on {} store: queues {}, {} threads, lease {}, poll {} with local wake-ups{}",
        config.serverId(),
        storage.capabilities().name(),
        config.queues(),
        config.virtualThreads() ? "virtual" : "platform",
        config.leaseDuration(),
        config.pollInterval(),
        storage.capabilities().wakeups() ? " and store notifications" : "");
  }

  /**
   * Stops claiming, waits up to {@code grace} for running jobs, then interrupts the rest and
   * releases them (back to enqueued, attempt not consumed), writes every outcome and stops.
   */
  public void stop(Duration grace) {
    if (stopping) return;
    stopping = true;
    fetchers.values().forEach(Fetcher::stop);
    if (started) {
      awaitIdle(grace);
      int released = 0;
      for (RunningJob rj : leases.values()) {
        if (!rj.done && rj.stop(RunningJob.Stop.RELEASE)) released++;
      }
      awaitIdle(Duration.ofSeconds(5));
      // Attempts that ignored the interrupt: release them anyway; a late completion is fenced out.
      for (RunningJob rj : leases.values()) {
        if (!rj.done && rj.takeOutcome())
          completer.submit(new JobFinish.Released(rj.lease, "shutdown"));
      }
      if (released > 0) log.info("released {} unfinished jobs at shutdown", released);
      jobThreads.shutdown();
      completer.stopAndFlush(SHUTDOWN_FLUSH_DEADLINE);
    }
    timers.shutdownNow();
    services.forEach(ServiceLoop::close);
    if (flow != null) flow.stop();
    awaitQuietly(timers);
    closeQuietly(storeNotifications);
    if (started) {
      try {
        if (leader) storage.leaderRelease(MAINTENANCE_LEADERSHIP, config.serverId());
        storage.serverRemove(config.serverId());
      } catch (StorageException e) {
        log.debug("could not deregister server {}: {}", config.serverId(), e.getMessage());
      }
    }
    bus.stop();
    listeners.forEach(l -> l.stop(2_000));
    if (started) log.info("TaskFlow server {} stopped", config.serverId());
  }

  private void awaitIdle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (runningCount() > 0 && System.nanoTime() < deadline) parkMillis(10);
  }

  int runningCount() {
    int n = 0;
    for (RunningJob rj : leases.values()) if (!rj.done) n++;
    return n;
  }

  // ---------------------------------------------------------------- claiming and running

  /** Claims for one queue, within the type caps and the resources' adaptive limits. */
  private List<Job> claim(String queue, int max) {
    // No workers here: claim nothing (an empty type filter would mean "any type").
    if (workers.isEmpty()) return List.of();
    List<Job> all = new ArrayList<>();
    // A resource's room is split between its types; when one type's share ran out while another
    // left room unused, one more claim right away may use it.
    for (int round = 0; round < 3 && all.size() < max; round++) {
      Map<String, Integer> reserved = typeCaps.reserve();
      ResourceLimits.Reservation room = resources.reserve();
      List<Job> jobs = List.of();
      try {
        jobs =
            storage.jobClaim(
                new JobClaimParams(
                    queue,
                    max - all.size(),
                    config.serverId(),
                    config.leaseDuration(),
                    workers.keySet(),
                    resources.typeLimits(reserved, room)));
      } finally {
        typeCaps.settle(reserved, jobs);
        resources.settle(room, jobs);
      }
      all.addAll(jobs);
      if (!resources.worthAnotherRound(room, jobs)) break;
    }
    return all;
  }

  /** The adaptive limits of this server's shared downstream resources. */
  public List<dev.taskflow.ResourceInfo> resources() {
    return resources.info();
  }

  /** The fetch loop's step: claim, then start each job on its own thread. */
  private int claimAndStart(Fetcher fetcher, int max) {
    List<Job> jobs = claim(fetcher.queue, max);
    List<JobFinish> giveBack = new ArrayList<>();
    for (Job job : jobs) {
      if (!fetcher.isActive() || stopping) { // claimed while shutting down: never started
        typeCaps.release(job.type());
        resources.release(job.type());
        giveBack.add(
            new JobFinish.Released(
                new JobLease(job.id(), job.attempt(), config.serverId()), "shutdown"));
        continue;
      }
      RunningJob rj = admit(job);
      fetcher.slotTaken();
      try {
        jobThreads.execute(() -> execute(rj, fetcher));
      } catch (RejectedExecutionException e) {
        rj.done = true;
        rj.takeOutcome();
        forget(rj.lease);
        typeCaps.release(job.type());
        resources.release(job.type());
        fetcher.slotFreed();
        giveBack.add(new JobFinish.Released(rj.lease, "shutdown"));
      }
    }
    if (!giveBack.isEmpty()) {
      try {
        storage.jobFinishMany(new JobFinishManyParams(giveBack));
      } catch (StorageException e) {
        log.warn(
            "{} jobs claimed during shutdown could not be released; they are rescued after their lease",
            giveBack.size());
      }
    }
    return jobs.size();
  }

  private RunningJob admit(Job job) {
    RunningJob rj = new RunningJob(job, config.serverId(), workers.get(job.type()));
    leases.put(rj.lease, rj);
    attemptsPerJob.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
    return rj;
  }

  /**
   * Runs one attempt on the calling thread. Whatever happens, the slot and type permit are freed
   * and the attempt ends in exactly one outcome (or none, when a user or another server already
   * moved the job): a lease left behind would be renewed forever and its job never rescued.
   */
  private void execute(RunningJob rj, Fetcher fetcher) {
    JobExecution ex =
        new JobExecution(rj, storage, bus, config.clock(), config.progressWriteInterval());
    JobFinish outcome = null;
    long startNanos = System.nanoTime();
    try {
      Duration timeout = ex.timeout();
      rj.timeoutTask =
          timers.schedule(
              () -> {
                if (rj.stop(RunningJob.Stop.TIMEOUT)) {
                  log.debug("job {} ({}) timed out after {}", rj.job.id(), rj.job.type(), timeout);
                }
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      outcome = ex.run();
    } catch (RejectedExecutionException e) { // the timer is gone: we are shutting down
      outcome = new JobFinish.Released(rj.lease, "shutdown");
    } catch (Throwable t) {
      log.error(
          "job {} ({}) attempt {}: the engine failed around the attempt",
          rj.job.id(),
          rj.job.type(),
          rj.job.attempt(),
          t);
      outcome = ex.failure(t, "engine_error", String.valueOf(t));
    } finally {
      var tt = rj.timeoutTask;
      if (tt != null) tt.cancel(false);
      rj.done = true;
      typeCaps.release(rj.job.type());
      resources.finished(rj.job.type(), outcome, Duration.ofNanos(System.nanoTime() - startNanos));
      if (fetcher != null) fetcher.slotFreed();
    }
    if (outcome instanceof JobFinish.Retry r) outcome = withRetryPriority(rj, r);
    if (!rj.takeOutcome()) return; // a shutdown release already went out for this lease
    if (outcome == null) {
      forget(rj.lease);
      if (rj.stopReason() == RunningJob.Stop.LEASE_LOST) {
        log.warn(
            "job {} ({}) attempt {}: lease lost, result dropped",
            rj.job.id(),
            rj.job.type(),
            rj.job.attempt());
      }
    } else {
      completer.submit(outcome);
    }
  }

  /** The retry with the priority its worker (or the server default) gives retries. */
  private JobFinish withRetryPriority(RunningJob rj, JobFinish.Retry r) {
    if (r.priority() != null) return r;
    dev.taskflow.RetryPriority rp;
    try {
      rp = rj.worker.worker().retryPriority();
    } catch (RuntimeException e) {
      log.warn(
          "job {} ({}): retryPriority() failed, using the server's: {}",
          rj.job.id(),
          rj.job.type(),
          e.toString());
      rp = null;
    }
    if (rp == null) rp = config.controls().retryPriority();
    int p = rp.apply(rj.job.priority());
    return p == rj.job.priority() ? r : new JobFinish.Retry(r.lease(), r.error(), r.delay(), p);
  }

  private void outcomeWritten(JobFinish f, boolean accepted) {
    RunningJob rj = forget(f.lease());
    if (!accepted) {
      log.warn(
          "job {} attempt {}: outcome {} rejected by the store (lease lost to another worker); dropped",
          f.lease().id(),
          f.lease().attempt(),
          f.getClass().getSimpleName());
    }
    if (rj != null && f instanceof JobFinish.Released) {
      wakeQueue(rj.job.queue()); // released jobs are claimable now
    } else {
      bus.wake();
      Fetcher fetcher = rj == null ? null : fetchers.get(rj.job.queue());
      if (fetcher != null) fetcher.wakeIfStarved(); // the job no longer counts against limits
    }
  }

  private RunningJob forget(JobLease lease) {
    // Marked recent before it leaves the running set, never after: the event bus skips persisted
    // progress of local attempts (it already went out live), and a pump between the two steps
    // would otherwise take it for another server's and deliver that progress a second time.
    if (leases.containsKey(lease)) recentlyLocal.add(lease);
    RunningJob rj = leases.remove(lease);
    if (rj != null) {
      attemptsPerJob.computeIfPresent(lease.id(), (id, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
    return rj;
  }

  private void onCancelledOrDeleted(JobEvent e) {
    if (!attemptsPerJob.containsKey(e.jobId())) return;
    int eventAttempt = attemptOf(e);
    for (RunningJob rj : leases.values()) {
      // A cancel issued before a later attempt started (cancel, then retry) must not stop it.
      boolean current = eventAttempt < 0 || rj.job.attempt() <= eventAttempt;
      if (rj.job.id().equals(e.jobId())
          && current
          && !rj.done
          && rj.stop(RunningJob.Stop.CANCELLED)) {
        log.debug("job {} ({}) {} while running: interrupted", e.jobId(), e.jobType(), e.type());
      }
    }
  }

  private boolean isLocalProgress(JobEvent e) {
    if (!e.type().equals(JobEvent.PROGRESS)) return false;
    int attempt = attemptOf(e);
    if (attempt < 0) return false;
    JobLease key = new JobLease(e.jobId(), attempt, config.serverId());
    return leases.containsKey(key) || recentlyLocal.contains(key);
  }

  private static int attemptOf(JobEvent e) {
    try {
      return JobCodec.MAPPER.readTree(e.dataJson()).path("attempt").asInt(-1);
    } catch (RuntimeException ex) {
      return -1;
    }
  }

  // ---------------------------------------------------------------- manual runs (tests)

  /**
   * Promotes due jobs, rescues expired leases, then claims and runs every due job of this server's
   * queues on the calling thread until none is left, writing each outcome before returning.
   *
   * @return how many attempts ran
   */
  public int runDueJobs() {
    int ran = 0;
    while (true) {
      promoteDue();
      expireDue();
      rescueExpired();
      if (flow != null) flow.sweep();
      int round = 0;
      for (String queue : config.queues().keySet()) {
        for (Job job : claim(queue, 100)) {
          execute(admit(job), null);
          round++;
        }
      }
      completer.flushAll();
      bus.pump();
      if (round == 0) return ran;
      ran += round;
    }
  }

  // ---------------------------------------------------------------- heartbeat and maintenance

  private void heartbeat() {
    long now = System.nanoTime();
    recentlyLocal.evict(now);
    List<JobLease> held = new ArrayList<>(leases.keySet());
    // Two local attempts of one job: only the newest can hold the lease (attempts only grow).
    Map<UUID, Integer> newest = new HashMap<>();
    for (JobLease l : held) newest.merge(l.id(), l.attempt(), Math::max);
    for (JobLease l : held) {
      RunningJob rj = leases.get(l);
      if (rj != null && l.attempt() < newest.get(l.id()) && !rj.done)
        rj.stop(RunningJob.Stop.LEASE_LOST);
    }
    if (held.isEmpty()) {
      lastHeartbeatOkNanos = now;
      return;
    }
    Set<UUID> still;
    try {
      still = storage.jobHeartbeat(new JobHeartbeatParams(held, config.leaseDuration()));
      heartbeatBackoff.succeeded();
      lastHeartbeatOkNanos = System.nanoTime();
    } catch (StorageException e) {
      heartbeatBackoff.failed(e);
      if (System.nanoTime() - lastHeartbeatOkNanos > config.leaseDuration().toNanos()) {
        // Our leases have expired by now and others may rescue these jobs: stop running them.
        for (RunningJob rj : leases.values()) {
          if (!rj.done && rj.stop(RunningJob.Stop.LEASE_LOST)) {
            log.warn("job {}: no heartbeat for a whole lease; interrupted", rj.job.id());
          }
        }
      }
      return;
    }
    for (JobLease l : held) {
      RunningJob rj = leases.get(l);
      if (rj != null && !still.contains(l.id()) && !rj.done) rj.stop(RunningJob.Stop.LEASE_LOST);
    }
  }

  /** Writes progress that waited for its once-a-second slot (off the heartbeat thread). */
  private void flushDueProgress() {
    long interval = config.progressWriteInterval().toNanos();
    for (RunningJob rj : leases.values()) {
      if (rj.pendingProgress.get() != null
          && System.nanoTime() - rj.lastProgressWriteNanos >= interval) {
        new JobExecution(rj, storage, bus, config.clock(), config.progressWriteInterval())
            .flushProgressQuietly();
      }
    }
  }

  private void promoteDue() {
    int n;
    int total = 0;
    do {
      n = storage.jobPromoteDue(new JobPromoteParams(config.serverId(), MAINTENANCE_BATCH));
      total += n;
    } while (n == MAINTENANCE_BATCH);
    if (total > 0) {
      log.debug("promoter: {} scheduled jobs now enqueued", total);
      wakeAllQueues();
    }
  }

  /** Cancels waiting jobs that passed their start deadline (any server may; each once). */
  private void expireDue() {
    int n;
    int total = 0;
    do {
      n = storage.jobExpireDue(new JobExpireParams(config.serverId(), MAINTENANCE_BATCH));
      total += n;
    } while (n == MAINTENANCE_BATCH && !stopping);
    if (total > 0) {
      log.debug("expirer: {} jobs not started by their deadline cancelled", total);
      bus.wake();
    }
  }

  private void rescueExpired() {
    int n = storage.jobRescueExpired(new JobRescueParams(config.serverId(), MAINTENANCE_BATCH));
    if (n > 0) {
      log.info("rescuer: {} jobs whose lease expired were rescued", n);
      wakeAllQueues();
    }
  }

  private void renewLeadership() {
    boolean was = leader;
    try {
      leader =
          storage.leaderTryAcquire(
              new LeaderParams(MAINTENANCE_LEADERSHIP, config.serverId(), config.leaderTtl()));
    } catch (StorageException e) {
      leader = false; // cannot prove we still lead: step back until the store answers
      throw e;
    }
    if (leader != was)
      log.info(
          "server {} {} the maintenance leader",
          config.serverId(),
          leader ? "is now" : "is no longer");
  }

  /** Whether this server currently holds the maintenance leadership. */
  public boolean isLeader() {
    return leader;
  }

  private void applyRetention() {
    if (!leader) return;
    EngineConfig.Retention r = config.retention();
    Instant now = storage.now();
    int n;
    int total = 0;
    do {
      n =
          storage.jobRetentionDelete(
              new JobRetentionParams(
                  cutoff(now, r.completed()),
                  cutoff(now, r.failed()),
                  cutoff(now, r.cancelled()),
                  cutoff(now, r.deleted()),
                  MAINTENANCE_BATCH));
      total += n;
    } while (n == MAINTENANCE_BATCH && !stopping);
    if (total > 0) log.debug("retention: removed {} finished jobs", total);
  }

  private static Instant cutoff(Instant now, Duration keep) {
    return keep == null ? null : now.minus(keep);
  }

  private void registerServer() {
    storage.serverHeartbeat(
        new ServerInfo(config.serverId(), host, startedAt, null, config.queues(), runningCount()));
  }

  /** Servers whose heartbeat is recent: within three registry intervals. */
  public Instant liveServerCutoff() {
    return storage.now().minus(config.serverHeartbeatInterval().multipliedBy(3));
  }

  /**
   * Starts one maintenance service on its own loop: it keeps running while the store fails, and
   * when the store is back it wakes the fetchers, which may still be waiting out a long back-off.
   */
  private void scheduleMaintenance(String name, Duration every, Runnable task) {
    services.add(
        ServiceLoop.builder(
                name.replace(' ', '-'),
                () -> {
                  task.run();
                  return null;
                })
            .every(every)
            .onRecovered(this::wakeAllQueues)
            .build()
            .start());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return Thread.ofPlatform().daemon().name(name).factory();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("closing store notifications failed: {}", e.toString());
    }
  }

  private static void awaitQuietly(ExecutorService ex) {
    try {
      ex.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void parkMillis(long ms) {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
