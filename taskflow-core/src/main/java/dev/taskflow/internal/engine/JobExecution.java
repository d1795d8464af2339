package dev.taskflow.internal.engine;

import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobCancel;
import dev.taskflow.JobContext;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobProgress;
import dev.taskflow.JobSnooze;
import dev.taskflow.RetryPolicy;
import dev.taskflow.StorageException;
import dev.taskflow.Worker;
import dev.taskflow.internal.JobValidator;
import dev.taskflow.internal.Json;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Runs one attempt of one job and turns what happened into a {@link JobFinish}. */
final class JobExecution implements JobContext {
  private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
  private static final int MAX_STACK_CHARS = 16_000;
  private static final Duration MAX_TIMEOUT = Duration.ofDays(365);

  private final RunningJob rj;
  private final Storage storage;
  private final EventBus bus;
  private final Clock clock;
  private final Duration progressWriteInterval;

  /**
   * Whether this attempt persisted events the bus may not have delivered yet (job.started at
   * first).
   */
  private volatile boolean persistedSinceLastPump = true;

  JobExecution(
      RunningJob rj, Storage storage, EventBus bus, Clock clock, Duration progressWriteInterval) {
    this.rj = rj;
    this.storage = storage;
    this.bus = bus;
    this.clock = clock;
    this.progressWriteInterval = progressWriteInterval;
  }

  /**
   * Runs the attempt on the calling thread.
   *
   * @return the outcome to write, or null when none must be written (cancelled by a user, or the
   *     lease was lost: the store already holds the job's next state)
   */
  JobFinish run() {
    Job job = rj.job;
    rj.thread = Thread.currentThread();
    // a cancel, timeout or release that came before the thread was known still interrupts it
    if (rj.isStopped()) Thread.currentThread().interrupt();
    MDC.put("jobId", job.id().toString());
    MDC.put("jobType", job.type());
    MDC.put("queue", job.queue());
    try {
      Object result = invoke(rj.worker);
      flushProgressQuietly(); // a store hiccup here must not turn a finished job into a failure
      if (rj.isStopped()) return outcomeOfStop(null);
      String json = result == null ? null : Json.write(result);
      JobValidator.checkResult(json, job.type()); // too large: failed for good, not retried
      return new JobFinish.Completed(rj.lease, json);
    } catch (JobSnooze s) {
      return rj.isStopped() ? outcomeOfStop(s) : new JobFinish.Snoozed(rj.lease, s.delay());
    } catch (JobCancel c) {
      return rj.isStopped() ? outcomeOfStop(c) : new JobFinish.Cancelled(rj.lease, c.getMessage());
    } catch (Throwable t) {
      // Errors too (even OutOfMemoryError): the attempt must end in an outcome, or its lease would
      // be renewed forever and the job never rescued.
      if (rj.isStopped()) return outcomeOfStop(t);
      flushProgressQuietly();
      return failure(t, t.getClass().getName(), messageOf(t));
    } finally {
      rj.thread = null; // first, so a late stop() no longer interrupts this thread...
      Thread.interrupted(); // ...then clear any interrupt so it cannot leak into the next task
      MDC.remove("jobId");
      MDC.remove("jobType");
      MDC.remove("queue");
    }
  }

  private static String messageOf(Throwable t) {
    try {
      return String.valueOf(t.getMessage());
    } catch (RuntimeException e) {
      return t.getClass().getName() + " (its getMessage() threw " + e.getClass().getName() + ")";
    }
  }

  @SuppressWarnings("unchecked")
  private <A> Object invoke(RegisteredWorker<A> w) throws Exception {
    A args;
    try {
      args = Json.MAPPER.readValue(rj.job.argsJson(), w.argsClass());
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          "args",
          "type",
          rj.job.type(),
          "args of job "
              + rj.job.id()
              + " do not fit "
              + w.argsClass().getName()
              + ": "
              + e.getMessage());
    }
    return ((Worker<A>) w.worker()).run(args, this);
  }

  private JobFinish outcomeOfStop(Throwable t) {
    return switch (rj.stopReason()) {
      case CANCELLED, LEASE_LOST -> null;
      case RELEASE -> new JobFinish.Released(rj.lease, "shutdown");
      case TIMEOUT ->
          failure(
              t,
              "timeout",
              "job "
                  + rj.job.id()
                  + " ("
                  + rj.job.type()
                  + ") ran past its timeout of "
                  + timeout());
    };
  }

  /** The outcome of a failed attempt: a retry after backoff while attempts remain, else failed. */
  JobFinish failure(Throwable t, String type, String message) {
    Job job = rj.job;
    JobError error =
        new JobError(
            job.attempt(), clock.instant(), type, message, t == null ? null : stackTrace(t));
    RetryPolicy policy;
    boolean retryable;
    Duration delay;
    try {
      policy = rj.worker.worker().retryPolicy();
      retryable = t == null || (policy.isRetryable(t) && !(t instanceof InvalidJobException));
      delay = policy.delay(job.attempt());
    } catch (RuntimeException e) { // the worker's own policy code threw: fall back to the default
      log.warn(
          "job {} ({}): retryPolicy() failed, using the default: {}",
          job.id(),
          job.type(),
          e.toString());
      policy = RetryPolicy.DEFAULT;
      retryable = !(t instanceof InvalidJobException);
      delay = policy.delay(job.attempt());
    }
    if (retryable && job.attempt() < job.maxAttempts()) {
      return new JobFinish.Retry(rj.lease, error, delay);
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "job {} ({}) failed for good on attempt {}/{}",
          job.id(),
          job.type(),
          job.attempt(),
          job.maxAttempts());
    }
    return new JobFinish.Failed(rj.lease, error);
  }

  /** The attempt's timeout: the job's own, else the worker's; never null, at most a year. */
  Duration timeout() {
    Duration d = rj.job.timeout();
    if (d == null) {
      try {
        d = rj.worker.worker().timeout();
      } catch (RuntimeException e) {
        d = null;
      }
    }
    if (d == null || d.isNegative() || d.isZero()) d = dev.taskflow.Worker.DEFAULT_TIMEOUT;
    return d.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : d;
  }

  static String stackTrace(Throwable t) {
    StringWriter sw = new StringWriter();
    try {
      t.printStackTrace(new PrintWriter(sw));
    } catch (RuntimeException e) {
      return t.getClass().getName() + " (printing its stack trace threw " + e + ")";
    }
    String s = sw.toString();
    return s.length() <= MAX_STACK_CHARS
        ? s
        : s.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
  }

  // ---- JobContext ----

  @Override
  public Job job() {
    return rj.job;
  }

  @Override
  public void progress(JobProgress progress) {
    Job job = rj.job;
    JobValidator.checkProgress(progress, job.type());
    if (persistedSinceLastPump) {
      // Deliver what this attempt already persisted (its job.started, events it emitted) before
      // the live progress, so every subscriber sees the attempt's events in order.
      try {
        bus.pump();
      } catch (StorageException e) {
        log.debug(
            "job {}: could not read the event log before progress: {}", job.id(), e.getMessage());
      }
      persistedSinceLastPump = false;
    }
    bus.publishEphemeral(
        new JobEvent(
            null,
            JobEvent.PROGRESS,
            clock.instant().truncatedTo(ChronoUnit.MILLIS), // the precision of persisted events
            job.id(),
            job.type(),
            job.queue(),
            job.owner(),
            EventData.progress(rj.job.attempt(), progress)));
    rj.pendingProgress.set(progress);
    if (System.nanoTime() - rj.lastProgressWriteNanos >= progressWriteInterval.toNanos()) {
      flushProgressQuietly();
    }
  }

  /**
   * Writes the pending progress, if any, on the calling thread. Writes of one job are serialised,
   * so the store always ends with the newest value.
   */
  void flushProgress() {
    rj.progressWrite.lock();
    try {
      JobProgress p = rj.pendingProgress.getAndSet(null);
      if (p == null) return;
      rj.lastProgressWriteNanos = System.nanoTime();
      storage.jobProgress(new JobProgressParams(rj.lease, p));
    } finally {
      rj.progressWrite.unlock();
    }
  }

  void flushProgressQuietly() {
    try {
      flushProgress();
    } catch (StorageException e) {
      log.debug(
          "job {}: progress not persisted (store unavailable): {}", rj.job.id(), e.getMessage());
    }
  }

  @Override
  public void log(String message) {
    String m = message == null ? "null" : message;
    if (m.length() > 4000) m = m.substring(0, 4000) + "…";
    append(JobEvent.LOG, EventData.log(rj.job.attempt(), m));
  }

  @Override
  public void emit(String eventType, Object data) {
    JobValidator.requireCustomEventType(
        "eventType",
        eventType,
        rj.job.type(),
        rj.job.type().startsWith(JobValidator.INTERNAL_TYPE_PREFIX));
    String json = data == null ? "{}" : Json.write(data);
    if (!json.startsWith("{")) {
      throw new InvalidJobException(
          "data",
          "type",
          rj.job.type(),
          "custom event data must serialise to a JSON object, was "
              + (json.length() > 200 ? json.substring(0, 200) + "…" : json));
    }
    JobValidator.checkEventData(json, rj.job.type());
    append(eventType, json);
  }

  /**
   * Appends a log line or custom event fenced by this attempt's lease: once the job was rescued and
   * is someone else's, nothing this attempt says reaches its log (like its outcome, it is dropped).
   */
  private void append(String type, String json) {
    if (storage.eventAppend(EventAppendParams.fenced(rj.lease, type, json)) == null) {
      log.debug(
          "job {} ({}) attempt {}: '{}' event dropped, the lease is no longer held",
          rj.job.id(),
          rj.job.type(),
          rj.lease.attempt(),
          type);
      return;
    }
    persistedSinceLastPump = true;
    bus.wake();
  }

  @Override
  public boolean isCancelled() {
    return rj.isStopped();
  }
}
