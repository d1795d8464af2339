package dev.taskflow.internal.engine;

import dev.taskflow.StorageException;
import dev.taskflow.internal.Backoff;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop of one queue: claims as many jobs as there are free slots in one store call, hands
 * them to the engine, then waits for a wake-up (a local enqueue, a finished job, a promotion, a
 * store notification) or the jittered poll.
 */
final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

  /** What the fetcher asks of the engine. */
  interface Claimer {
    /** Claims up to {@code max} jobs of the queue and starts them; returns how many. */
    int claimAndStart(Fetcher fetcher, int max);
  }

  final String queue;
  private final int concurrency;
  private final long pollMillis;
  private final Claimer claimer;
  private final AtomicInteger running = new AtomicInteger();
  private final Semaphore wakeups = new Semaphore(0);
  private final Backoff backoff;
  private volatile boolean active;
  private volatile boolean lastClaimShort;
  private Thread thread;

  Fetcher(String queue, int concurrency, long pollMillis, Claimer claimer) {
    this(queue, concurrency, pollMillis, claimer, new Backoff("fetcher[" + queue + "]"));
  }

  Fetcher(String queue, int concurrency, long pollMillis, Claimer claimer, Backoff backoff) {
    this.queue = queue;
    this.concurrency = concurrency;
    this.pollMillis = pollMillis;
    this.claimer = claimer;
    this.backoff = backoff;
  }

  void start() {
    active = true;
    thread = Thread.ofPlatform().daemon().name("taskflow-fetch-" + queue).start(this::loop);
  }

  /** Stops claiming; waits for a claim in flight to return. */
  void stop() {
    active = false;
    wake();
    if (thread != null) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isActive() {
    return active;
  }

  void wake() {
    if (wakeups.availablePermits() == 0) wakeups.release();
  }

  /**
   * Wakes the loop if its last claim got fewer jobs than it asked for: an outcome just written may
   * have made room under a limit (the store counts a job as running until its outcome is written,
   * which is after {@link #slotFreed()} woke the loop).
   */
  void wakeIfStarved() {
    if (lastClaimShort) wake();
  }

  /** A job of this queue was handed to a thread. */
  void slotTaken() {
    running.incrementAndGet();
  }

  /** A job of this queue finished (or was never started). */
  void slotFreed() {
    running.decrementAndGet();
    wake();
  }

  private void loop() {
    while (active) {
      try {
        int free = concurrency - running.get();
        int claimed = free > 0 ? claimer.claimAndStart(this, free) : 0;
        lastClaimShort = free > 0 && claimed < free;
        backoff.succeeded();
        if (claimed > 0 && running.get() < concurrency) continue; // more may be waiting
        long jittered =
            pollMillis * 4 / 5 + ThreadLocalRandom.current().nextLong(pollMillis * 2 / 5 + 1);
        wakeups.tryAcquire(jittered, TimeUnit.MILLISECONDS);
        wakeups.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StorageException e) {
        backoff.failed(e);
        pause();
      } catch (Throwable t) {
        log.error("fetcher[{}]: unexpected error; will keep running", queue, t);
        backoff.failed(new StorageException(t.toString(), t));
        pause();
      }
    }
  }

  /**
   * Waits out the back-off after a failed claim, or less: a wake-up ends it. When the store comes
   * back, a wake-up (the notification connection's catch-up, a local enqueue, another loop of the
   * engine that reached the store) starts the next claim at once; a fetcher that slept its whole
   * back-off instead (up to 30 s) let the other nodes drain the queue without it.
   */
  private void pause() {
    try {
      wakeups.tryAcquire(backoff.pauseMillis(), TimeUnit.MILLISECONDS);
      wakeups.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the loop's next wait sees it and ends the loop
    }
  }
}
