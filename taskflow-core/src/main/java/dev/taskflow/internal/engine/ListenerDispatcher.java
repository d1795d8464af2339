package dev.taskflow.internal.engine;

import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one {@link JobListener} from the event bus through a bounded queue on a thread of its own,
 * so the bus's dispatch never waits for it. When the queue is full the oldest event is dropped and
 * counted: a stuck listener costs memory up to its bound, never the engine's progress.
 */
final class ListenerDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);
  static final int CAPACITY = 10_000;

  private final JobListener listener;
  private final String name;
  private final ArrayBlockingQueue<JobEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;
  private final Thread thread;

  ListenerDispatcher(JobListener listener, int index) {
    this.listener = listener;
    this.name = "taskflow-listener-" + index + "[" + listener.getClass().getName() + "]";
    this.thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
  }

  /** Called on the bus's thread: never blocks. */
  void offer(JobEvent e) {
    while (!queue.offer(e)) {
      if (queue.poll() != null && dropped.incrementAndGet() % 1000 == 1) {
        log.warn(
            "{} is too slow: its queue of {} is full; {} oldest events dropped so far",
            name,
            CAPACITY,
            dropped.get());
      }
    }
  }

  /** Delivers what is queued for up to {@code waitMillis}, then stops. */
  void stop(long waitMillis) {
    running = false;
    try {
      thread.join(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) thread.interrupt();
  }

  long dropped() {
    return dropped.get();
  }

  private void loop() {
    while (running || !queue.isEmpty()) {
      JobEvent e;
      try {
        e = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        return;
      }
      if (e == null) continue;
      try {
        listener.onEvent(e);
      } catch (Throwable t) {
        log.warn(
            "{} failed on {} of job {} ({}); it keeps receiving events",
            name,
            e.type(),
            e.jobId(),
            e.jobType(),
            t);
      }
    }
  }
}
