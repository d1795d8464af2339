package dev.taskflow.internal.engine;

import dev.taskflow.StorageException;
import dev.taskflow.internal.Backoff;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt outcomes in batches: one store call for everything that finished since the last
 * write, so the batch grows with the load. One thread owns the writing, so a batch is never written
 * twice. While the store fails the batch is retried with back-off (the heartbeat keeps those leases
 * alive meanwhile); at shutdown it keeps trying until a deadline, after which the leases expire and
 * the jobs are rescued — at-least-once, never lost.
 */
final class Completer {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);
  static final int MAX_BATCH = 1000;

  private final Storage storage;

  /** Called after each write with the outcome and whether the store accepted it (fencing). */
  private final BiConsumer<JobFinish, Boolean> written;

  private final LinkedBlockingQueue<JobFinish> queue = new LinkedBlockingQueue<>();
  private final Backoff backoff = new Backoff("completer");
  private volatile boolean running;
  private volatile long giveUpAtNanos = Long.MAX_VALUE;
  private Thread thread;

  Completer(Storage storage, BiConsumer<JobFinish, Boolean> written) {
    this.storage = storage;
    this.written = written;
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("taskflow-completer").start(this::loop);
  }

  void submit(JobFinish outcome) {
    queue.add(outcome);
  }

  /**
   * Stops after writing everything submitted so far, trying for at most {@code deadline} while the
   * store fails. Outcomes still unwritten then are given up: their jobs are rescued later.
   */
  void stopAndFlush(Duration deadline) {
    if (thread == null) {
      flushAll();
      return;
    }
    giveUpAtNanos = System.nanoTime() + deadline.toNanos();
    running = false;
    try {
      thread.join(deadline.toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.error(
          "completer: still writing after {}; leaving {} outcomes to lease expiry",
          deadline,
          queue.size());
    }
  }

  /** Writes everything queued now, on the calling thread. Only for manual runs (no thread). */
  void flushAll() {
    giveUpAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<JobFinish> batch = new ArrayList<>();
    while (queue.drainTo(batch, MAX_BATCH) > 0) {
      if (!writeUntilDone(batch)) {
        throw new StorageException(
            "could not write " + batch.size() + " job outcomes for 30 s; the store is unavailable");
      }
      batch.clear();
    }
  }

  private void loop() {
    List<JobFinish> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        JobFinish first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (!writeUntilDone(batch)) {
          log.error(
              "completer: gave up writing {} outcomes at shutdown; their jobs will be rescued",
              batch.size() + queue.size());
          return;
        }
      } catch (InterruptedException e) {
        // nobody interrupts this thread on purpose; keep draining until stopped
      } catch (Throwable t) {
        log.error("completer: unexpected error; will keep running", t);
      } finally {
        batch.clear();
      }
    }
  }

  /** Writes one batch, retrying with back-off; false only when the shutdown deadline passed. */
  private boolean writeUntilDone(List<JobFinish> batch) {
    while (!writeOnce(batch)) {
      if (System.nanoTime() > giveUpAtNanos) return false;
      backoff.pause();
    }
    return true;
  }

  private boolean writeOnce(List<JobFinish> batch) {
    Set<UUID> accepted;
    try {
      accepted = storage.jobFinishMany(new JobFinishManyParams(batch));
      backoff.succeeded();
    } catch (StorageException e) {
      backoff.failed(e);
      return false;
    } catch (RuntimeException e) {
      log.error("completer: writing {} outcomes failed unexpectedly; retrying", batch.size(), e);
      backoff.failed(new StorageException(e.toString(), e));
      return false;
    }
    for (JobFinish f : batch) {
      try {
        written.accept(f, accepted.contains(f.lease().id()));
      } catch (RuntimeException e) {
        log.error("completer: after-write hook failed for job {}", f.lease().id(), e);
      }
    }
    return true;
  }
}
