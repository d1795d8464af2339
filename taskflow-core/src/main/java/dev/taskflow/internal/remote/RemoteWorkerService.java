package dev.taskflow.internal.remote;

import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobProgress;
import dev.taskflow.JobState;
import dev.taskflow.LeaseLostException;
import dev.taskflow.Names;
import dev.taskflow.RemoteWorkers;
import dev.taskflow.RetryPolicy;
import dev.taskflow.ServerInfo;
import dev.taskflow.internal.JobValidator;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The remote-worker leases of one server: see {@link RemoteWorkers}. */
public final class RemoteWorkerService implements RemoteWorkers {
  private static final Logger log = LoggerFactory.getLogger(RemoteWorkerService.class);
  private static final String OWNER_PREFIX = "remote:";
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final Runnable wakeEvents;
  private final Consumer<String> wakeQueue;
  private final Clock clock;
  private final Duration refreshEvery;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();

  /**
   * @param refreshEvery how often a worker's {@code /servers} entry is refreshed at most, from any
   *     of its calls (the engine's server heartbeat interval: an entry lives three of them)
   * @param wakeEvents told when a worker appended events, so local subscribers see them at once
   * @param wakeQueue told of a job's queue when a worker finished an attempt (retries may be ready)
   */
  public RemoteWorkerService(
      Storage storage,
      Clock clock,
      Duration refreshEvery,
      Runnable wakeEvents,
      Consumer<String> wakeQueue) {
    this.storage = storage;
    this.wakeEvents = wakeEvents;
    this.wakeQueue = wakeQueue;
    this.clock = clock;
    this.refreshEvery = refreshEvery;
  }

  /** Jobs may be ready on a queue: wakes long-polling lease calls. */
  public void jobsAvailable() {
    lock.lock();
    try {
      available.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Leases up to {@code max} jobs, waiting up to {@code wait} for the first when none is ready.
   *
   * @throws InvalidJobException naming the bad field
   */
  @Override
  public List<LeasedJob> lease(LeaseRequest r) throws InterruptedException {
    validate(r);
    register(r);
    String secret = newSecret();
    String owner = owner(r.workerId(), secret);
    long deadline = System.nanoTime() + r.longPoll().toNanos();
    while (true) {
      List<LeasedJob> out = new ArrayList<>();
      for (String queue : r.queues()) {
        int want = r.max() - out.size();
        if (want <= 0) break;
        for (Job j :
            storage.jobClaim(
                new JobClaimParams(
                    queue,
                    want,
                    owner,
                    r.leaseDuration(),
                    r.types(),
                    Map.of(),
                    JobValidator.INTERNAL_TYPE_PREFIX))) {
          out.add(
              new LeasedJob(
                  j, token(j.id(), j.attempt(), r.workerId(), secret), j.leaseExpiresAt()));
        }
      }
      long left = deadline - System.nanoTime();
      if (!out.isEmpty() || left <= 0) return out;
      lock.lock();
      try {
        // woken by a local enqueue or a store notification; the timed wait is the fallback poll
        available.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Extends the lease (by the given duration from the store's now) and stores progress if given.
   *
   * @return the new expiry
   * @throws LeaseLostException when the lease is no longer held
   */
  @Override
  public Instant heartbeat(UUID jobId, String leaseToken, Duration extendBy, JobProgress progress) {
    Token t = parse(jobId, leaseToken);
    JobLease lease = t.lease();
    if (progress != null) JobValidator.checkProgress(progress, null);
    Duration d = extendBy == null ? Duration.ofSeconds(60) : extendBy;
    if (d.compareTo(MIN_LEASE) < 0 || d.compareTo(MAX_LEASE) > 0) {
      throw new InvalidJobException(
          "leaseSeconds", "range", null, "lease must be 5..3600 seconds, was " + d.toSeconds());
    }
    if (!storage.jobHeartbeat(new JobHeartbeatParams(List.of(lease), d)).contains(jobId)) {
      throw lost(jobId);
    }
    if (progress != null) storage.jobProgress(new JobProgressParams(lease, progress));
    wakeEvents.run();
    refresh(t.workerId(), () -> storage.jobGet(jobId).map(Job::queue).orElse(null));
    return storage.now().plus(d);
  }

  /** Completes the job with a result (JSON text or null). */
  @Override
  public Job complete(UUID jobId, String leaseToken, String resultJson) {
    Token t = parse(jobId, leaseToken);
    JobValidator.checkResult(resultJson, null);
    return finish(t, new JobFinish.Completed(t.lease(), resultJson));
  }

  /**
   * Records a failed attempt: retried with the default backoff while attempts remain and {@code
   * retryable}, else failed for good.
   */
  @Override
  public Job fail(
      UUID jobId,
      String leaseToken,
      String errorType,
      String message,
      String stackTrace,
      boolean retryable) {
    Token t = parse(jobId, leaseToken);
    JobLease lease = t.lease();
    Job job = storage.jobGet(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
    JobError error =
        new JobError(
            lease.attempt(),
            storage.now(),
            errorType == null ? "remote_error" : errorType,
            message,
            stackTrace);
    JobFinish f =
        retryable && lease.attempt() < job.maxAttempts()
            ? new JobFinish.Retry(lease, error, RetryPolicy.DEFAULT.delay(lease.attempt()))
            : new JobFinish.Failed(lease, error);
    return finish(t, f);
  }

  /**
   * Emits a custom event for a job the worker holds.
   *
   * <p>The append is fenced in the same store operation as the insert: once the lease is lost,
   * nothing is written and the call answers lease lost.
   */
  @Override
  public JobEvent emit(UUID jobId, String leaseToken, String eventType, String dataJson) {
    Token t = parse(jobId, leaseToken);
    JobLease lease = t.lease();
    JobValidator.requireCustomEventType("type", eventType, null, false);
    JobValidator.checkEventData(dataJson, null);
    JobEvent e =
        storage.eventAppend(
            EventAppendParams.fenced(lease, eventType, dataJson == null ? "{}" : dataJson));
    if (e == null) throw lost(jobId);
    wakeEvents.run();
    refresh(t.workerId(), e::queue);
    return e;
  }

  private Job finish(Token t, JobFinish f) {
    UUID id = f.lease().id();
    if (!storage.jobFinishMany(new JobFinishManyParams(List.of(f))).contains(id)) throw lost(id);
    Job job = storage.jobGet(id).orElseThrow(() -> new JobNotFoundException(id));
    wakeQueue.accept(job.queue());
    refresh(t.workerId(), job::queue);
    return job;
  }

  private LeaseLostException lost(UUID jobId) {
    String why =
        storage
            .jobGet(jobId)
            .map(
                j ->
                    j.state() == JobState.PROCESSING
                        ? "another worker holds attempt " + j.attempt()
                        : "the job is " + j.state().wireName())
            .orElse("the job no longer exists");
    return new LeaseLostException(jobId, why);
  }

  /** What a worker's {@code /servers} entry says, as this node last wrote it. */
  private record Registration(Instant firstSeen, Map<String, Integer> queues, Instant writtenAt) {}

  private void register(LeaseRequest r) {
    Map<String, Integer> queues = new LinkedHashMap<>();
    r.queues().forEach(q -> queues.put(q, r.max()));
    Registration old = registrations.get(r.workerId());
    if (old == null) old = fromStore(r.workerId()); // it may have leased on another node first
    write(r.workerId(), old == null ? storage.now() : old.firstSeen(), queues);
  }

  /**
   * Keeps the {@code /servers} entry of a worker that only heartbeats or reports (a long job)
   * alive, writing at most once per {@code refreshEvery}. A worker that leased on another node
   * keeps the entry that node wrote (its start and queues); one with no entry at all is registered
   * with the queue of the job it reports on.
   *
   * <p>Best effort: it runs after the worker's report was committed, so a store error here is
   * logged and swallowed rather than turning a written completion into an error the worker would
   * retry (and then be told the job was already finished).
   */
  private void refresh(String workerId, Supplier<String> queueOfJob) {
    try {
      Registration old = registrations.get(workerId);
      if (old != null && clock.instant().isBefore(old.writtenAt().plus(refreshEvery))) return;
      if (old == null) old = fromStore(workerId);
      if (old != null) {
        write(workerId, old.firstSeen(), old.queues());
      } else {
        String queue = queueOfJob.get();
        write(workerId, storage.now(), queue == null ? Map.of() : Map.of(queue, 1));
      }
    } catch (RuntimeException e) {
      log.debug("remote worker {}: /servers entry not refreshed: {}", workerId, e.toString());
    }
  }

  /** The entry another node wrote for this worker, while it is live, or null. */
  private Registration fromStore(String workerId) {
    String id = OWNER_PREFIX + workerId;
    for (ServerInfo s : storage.serverList(storage.now().minus(refreshEvery.multipliedBy(3)))) {
      if (s.id().equals(id)) return new Registration(s.startedAt(), s.queues(), Instant.MIN);
    }
    return null;
  }

  private void write(String workerId, Instant firstSeen, Map<String, Integer> queues) {
    storage.serverHeartbeat(
        new ServerInfo(OWNER_PREFIX + workerId, "remote", firstSeen, null, queues, 0));
    registrations.put(workerId, new Registration(firstSeen, Map.copyOf(queues), clock.instant()));
  }

  /** A lease token read back: the fenced lease it stands for, and the worker that holds it. */
  private record Token(JobLease lease, String workerId) {}

  private static String newSecret() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The stored lease owner: {@code remote:<workerId>#<first 128 bits of SHA-256(secret)>}. */
  private static String owner(String workerId, String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return OWNER_PREFIX
          + workerId
          + "#"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * {@code base64url(attempt:remote:<workerId>#<secret>.<tag>)}, where the tag binds the token to
   * its job: the first 96 bits of HMAC-SHA256(secret, job id). One lease call leases several jobs
   * under one secret; without the tag, job A's token also fenced job B of the same call.
   */
  private static String token(UUID jobId, int attempt, String workerId, String secret) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (attempt + ":" + OWNER_PREFIX + workerId + "#" + secret + "." + tag(secret, jobId))
                .getBytes(StandardCharsets.UTF_8));
  }

  private static String tag(String secret, UUID jobId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] h = mac.doFinal(jobId.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 12));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  private static Token parse(UUID jobId, String token) {
    String workerId;
    String secret;
    String tag;
    int attempt;
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      attempt = Integer.parseInt(s.substring(0, colon));
      String rest = s.substring(colon + 1);
      int hash = rest.lastIndexOf('#');
      int dot = rest.lastIndexOf('.');
      workerId = rest.substring(OWNER_PREFIX.length(), hash);
      secret = rest.substring(hash + 1, dot);
      tag = rest.substring(dot + 1);
      if (!rest.startsWith(OWNER_PREFIX)
          || attempt < 1
          || workerId.isEmpty()
          || dot < hash
          || !SECRET.matcher(secret).matches()) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          "leaseToken", "invalid", null, "leaseToken is not one this API issued");
    }
    if (!MessageDigest.isEqual(
        tag.getBytes(StandardCharsets.UTF_8),
        tag(secret, jobId).getBytes(StandardCharsets.UTF_8))) {
      throw new InvalidJobException(
          "leaseToken", "invalid", null, "leaseToken was issued for another job, not " + jobId);
    }
    return new Token(new JobLease(jobId, attempt, owner(workerId, secret)), workerId);
  }

  private static void validate(LeaseRequest r) {
    Names.requireMatch("workerId", "workerId", r.workerId(), Names.MAX_TYPE_LENGTH);
    if (r.queues().isEmpty())
      throw new InvalidJobException("queues", "required", null, "name at least one queue");
    for (int i = 0; i < r.queues().size(); i++) {
      String q = r.queues().get(i);
      Names.requireMatch("queues/" + i, "queue", q, Names.MAX_QUEUE_LENGTH);
    }
    int t = 0;
    for (String type : r.types()) {
      if (type != null && type.startsWith(JobValidator.INTERNAL_TYPE_PREFIX)) {
        throw new InvalidJobException(
            "types/" + t,
            "reserved",
            null,
            "'"
                + type
                + "' is one of TaskFlow's own job types ("
                + JobValidator.INTERNAL_TYPE_PREFIX
                + "*), which only its servers run");
      }
      Names.requireMatch("types/" + t, "job type", type, Names.MAX_TYPE_LENGTH);
      t++;
    }
    if (r.max() < 1 || r.max() > MAX_JOBS)
      throw new InvalidJobException("max", "range", null, "max must be 1..100, was " + r.max());
    if (r.leaseDuration() == null
        || r.leaseDuration().compareTo(MIN_LEASE) < 0
        || r.leaseDuration().compareTo(MAX_LEASE) > 0) {
      throw new InvalidJobException(
          "leaseSeconds", "range", null, "lease must be 5..3600 seconds, was " + r.leaseDuration());
    }
    if (r.longPoll() == null || r.longPoll().isNegative() || r.longPoll().compareTo(MAX_WAIT) > 0) {
      throw new InvalidJobException(
          "wait", "range", null, "wait must be 0..60 seconds, was " + r.longPoll());
    }
  }
}
