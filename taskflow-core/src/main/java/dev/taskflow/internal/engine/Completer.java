package dev.taskflow.internal.engine;

import dev.taskflow.StorageException;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.Storage;
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
 * write, so the batch grows with the load. An outcome is never dropped: while the store is down the
 * batch is retried with back-off, and the heartbeat keeps those leases alive meanwhile.
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

  /** Stops after writing everything submitted so far (retrying while the store is down). */
  void stopAndFlush() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flushAll();
  }

  /** Writes everything queued now, on the calling thread. Used by manual runs and at shutdown. */
  void flushAll() {
    List<JobFinish> batch = new ArrayList<>();
    while (queue.drainTo(batch, MAX_BATCH) > 0) {
      write(batch);
      batch.clear();
    }
  }

  private void loop() {
    List<JobFinish> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        JobFinish first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        while (!writeOnce(batch)) {
          if (!running) { // shutdown: stopAndFlush writes the rest on its own thread
            queue.addAll(batch);
            return;
          }
          backoff.pause();
        }
        batch.clear();
      } catch (InterruptedException e) {
        if (!running) {
          queue.addAll(batch); // give the batch back for flushAll
          return;
        }
      } catch (RuntimeException e) {
        log.error("completer: unexpected error; will keep running", e);
      }
    }
  }

  private void write(List<JobFinish> batch) {
    int tries = 0;
    while (!writeOnce(batch)) {
      if (++tries >= 50) {
        log.error(
            "completer: gave up writing {} outcomes; their jobs will be rescued when the leases expire",
            batch.size());
        return;
      }
      backoff.pause();
    }
  }

  private boolean writeOnce(List<JobFinish> batch) {
    Set<UUID> accepted;
    try {
      accepted = storage.jobFinishMany(new JobFinishManyParams(batch));
      backoff.succeeded();
    } catch (StorageException e) {
      backoff.failed(e);
      return false;
    }
    for (JobFinish f : batch) {
      written.accept(f, accepted.contains(f.lease().id()));
    }
    return true;
  }
}
