package dev.taskflow.webhooks;

import dev.taskflow.EventCursor;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.PluginContext;
import dev.taskflow.Webhook;
import dev.taskflow.web.ApiJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns persisted events into webhook delivery jobs on one server of the cluster: the holder of the
 * {@value #NAME} leadership reads the event log after the durable cursor {@value #NAME}, builds a
 * delivery per matching active webhook and advances the cursor with those jobs in one transaction.
 * Events that happened while no server ran are delivered when one starts, and each event becomes at
 * most one delivery per webhook across the cluster (a second leader's advance from the same
 * position loses and re-reads).
 *
 * <p>One daemon thread: woken by {@link #wake()} (every event this server hears) and at least every
 * poll interval; it never spins.
 */
final class WebhookFanOut {
  /** The name of both the leadership and the cursor. */
  static final String NAME = "webhooks";

  /** Events read per step. */
  static final int PAGE = 500;

  /** A step stops early once it has built this many deliveries, to keep transactions small. */
  static final int MAX_JOBS_PER_ADVANCE = 1000;

  private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);

  private final PluginContext taskflow;
  private final String queue;
  private final Duration pollInterval;
  private final Duration leaderTtl;
  private final AtomicLong enqueued = new AtomicLong();
  private final ApiJson json = new ApiJson();
  private final Semaphore signal = new Semaphore(0);
  private final Thread thread;
  private volatile boolean closed;

  // Loop state, touched only by the fan-out thread.
  private boolean leading;
  private long renewAtNanos = System.nanoTime();
  private long position = -1; // -1: read it from the store
  private boolean failing;

  WebhookFanOut(PluginContext taskflow, String queue, Duration pollInterval, Duration leaderTtl) {
    this.taskflow = taskflow;
    this.queue = queue;
    this.pollInterval = pollInterval;
    this.leaderTtl = leaderTtl;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("taskflow-webhook-fanout-" + taskflow.serverId())
            .unstarted(this::loop);
  }

  WebhookFanOut start() {
    thread.start();
    return this;
  }

  /**
   * Deliveries this server's fan-out enqueued, counted only for advances of the cursor that won (so
   * a store's dedupe on {@code uniqueKey} cannot hide a second enqueue of the same event).
   */
  long enqueued() {
    return enqueued.get();
  }

  /** New events may be in the log. */
  void wake() {
    if (signal.availablePermits() == 0) signal.release();
  }

  /** Stops the thread and gives the leadership up, so another server takes over at once. */
  void close() {
    closed = true;
    signal.release();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (leading) {
      try {
        taskflow.resign(NAME);
      } catch (RuntimeException e) {
        log.debug("webhook fan-out: cannot give the leadership up at close: {}", e.toString());
      }
    }
  }

  private void loop() {
    while (!closed) {
      boolean more = false;
      try {
        if (System.nanoTime() - renewAtNanos >= 0) renewLeadership();
        if (leading) more = step();
        if (failing) log.info("webhook fan-out: the store answers again");
        failing = false;
      } catch (RuntimeException e) {
        if (closed) return;
        position = -1;
        if (!failing) log.warn("webhook fan-out: {} (retrying every {})", e, pollInterval);
        else log.debug("webhook fan-out still failing: {}", e.toString());
        failing = true;
      }
      if (!more) await();
    }
  }

  private void renewLeadership() {
    boolean was = leading;
    renewAtNanos = System.nanoTime() + leaderTtl.dividedBy(3).toNanos();
    try {
      leading = taskflow.tryLead(NAME, leaderTtl);
    } catch (RuntimeException e) {
      leading = false;
      throw e;
    }
    if (leading != was) {
      position = -1; // another leader may have moved the cursor meanwhile
      log.info(
          "server {} {} the webhook fan-out leader",
          taskflow.serverId(),
          leading ? "is now" : "is no longer");
    }
  }

  /** Waits for a wake-up, the poll interval, or the next leadership renewal, whichever is first. */
  private void await() {
    long untilRenew = Math.max(1, renewAtNanos - System.nanoTime());
    long wait = Math.min(pollInterval.toNanos(), untilRenew);
    try {
      if (signal.tryAcquire(wait, TimeUnit.NANOSECONDS)) signal.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /**
   * One page: reads events after the cursor, enqueues their deliveries and advances. True when a
   * full page was handled (more may wait).
   */
  boolean step() {
    EventCursor cursor = taskflow.eventCursor(NAME);
    if (position < 0) position = cursor.position();
    List<JobEvent> page = cursor.read(position, PAGE);
    if (page.isEmpty()) return false;
    List<Webhook> hooks =
        taskflow.client().webhooks().all().stream().filter(Webhook::active).toList();
    List<JobRequest> jobs = new ArrayList<>();
    long next = position;
    int handled = 0;
    for (JobEvent e : page) {
      if (!WebhookDelivery.JOB_TYPE.equals(e.jobType())) { // never webhooks about webhooks
        for (Webhook w : hooks) {
          // A webhook hears events from its registration on, also when they are read later.
          if (!w.matches(e) || e.time().isBefore(w.createdAt())) continue;
          JobRequest r = delivery(cursor, w, e);
          if (r != null) jobs.add(r);
        }
      }
      next = e.seq();
      handled++;
      if (jobs.size() >= MAX_JOBS_PER_ADVANCE) break;
    }
    if (cursor.advance(position, next, jobs)) {
      enqueued.addAndGet(jobs.size());
      position = next;
      return handled == PAGE || handled < page.size();
    }
    log.debug("webhook fan-out: another server advanced the cursor from {}; re-reading", position);
    position = cursor.position();
    return true;
  }

  /** The delivery request, or null when the job rules refuse it. */
  private JobRequest delivery(EventCursor cursor, Webhook w, JobEvent e) {
    JobRequest r = WebhookDelivery.request(w, json.event(e), queue);
    try {
      cursor.check(r);
      return r;
    } catch (InvalidJobException x) {
      // An event the job rules refuse (e.g. data past the args limit) would block the cursor.
      log.warn(
          "webhook {}: event {} of job {} is not delivered: {}",
          w.id(),
          e.id(),
          e.jobId(),
          x.getMessage());
      return null;
    }
  }
}
