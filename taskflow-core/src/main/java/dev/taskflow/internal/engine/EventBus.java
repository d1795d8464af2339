package dev.taskflow.internal.engine;

import dev.taskflow.EventFilter;
import dev.taskflow.JobEvent;
import dev.taskflow.StorageException;
import dev.taskflow.Subscription;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.Storage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process event bus. The store's event log is the single source of truth: a tailer reads it
 * in sequence order and hands each event to the matching subscribers, so every subscriber sees
 * every persisted event once, in order, whichever process wrote it. Local writers {@link #wake()}
 * the tailer so delivery is immediate; a poll catches the rest.
 *
 * <p>Progress events go out at once, before they are persisted ({@link #publishEphemeral}); the
 * persisted copies of progress for jobs running here are then skipped so nobody sees them twice.
 *
 * <p>Locking: {@code lock} orders delivery. Replays for new subscribers run under it, so a
 * subscriber's replay and its live events never overlap or leave a gap.
 */
final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private static final int PAGE = 1000;

  private final Storage storage;
  private final Duration pollInterval;
  private final Predicate<JobEvent> skipPersisted;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock signalLock = new ReentrantLock();
  private final Condition signal = signalLock.newCondition();
  private final List<Sub> subs = new CopyOnWriteArrayList<>();
  private final Backoff backoff = new Backoff("event tailer");
  private volatile long deliveredSeq;
  private long ephemeralCounter;
  private boolean woken;
  private volatile boolean running;
  private Thread tailer;

  EventBus(Storage storage, Duration pollInterval, Predicate<JobEvent> skipPersisted) {
    this.storage = storage;
    this.pollInterval = pollInterval;
    this.skipPersisted = skipPersisted;
  }

  /**
   * Starts tailing from the newest event: history before this point is replayed on request only.
   */
  void start() {
    lock.lock();
    try {
      deliveredSeq = storage.eventLatestSeq();
    } finally {
      lock.unlock();
    }
    running = true;
    tailer = Thread.ofPlatform().daemon().name("taskflow-events").start(this::tailLoop);
  }

  void stop() {
    running = false;
    wake();
    if (tailer != null) {
      try {
        tailer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pump(); // deliver what the last writes appended
  }

  /** Asks the tailer to read the log now. */
  void wake() {
    signalLock.lock();
    try {
      woken = true;
      signal.signal();
    } finally {
      signalLock.unlock();
    }
  }

  private void tailLoop() {
    while (running) {
      signalLock.lock();
      try {
        if (!woken) signal.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        woken = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        signalLock.unlock();
      }
      try {
        pump();
        backoff.succeeded();
      } catch (StorageException e) {
        backoff.failed(e);
        backoff.pause();
      } catch (RuntimeException e) {
        log.error("event tailer: unexpected error; will keep running", e);
      }
    }
  }

  /** Reads and delivers every event appended since the last pump. */
  void pump() {
    lock.lock();
    try {
      while (true) {
        List<JobEvent> page = storage.eventsSince(new EventsSinceParams(deliveredSeq, null, PAGE));
        for (JobEvent e : page) {
          deliveredSeq = e.seq();
          ephemeralCounter = 0;
          if (!skipPersisted.test(e)) deliver(e);
        }
        if (page.size() < PAGE) return;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Delivers an event that is not (yet) persisted; its id is the last persisted seq plus a suffix.
   */
  void publishEphemeral(JobEvent withoutId) {
    lock.lock();
    try {
      String id = deliveredSeq + "." + (++ephemeralCounter);
      JobEvent e =
          new JobEvent(
              id,
              withoutId.type(),
              withoutId.time(),
              withoutId.jobId(),
              withoutId.jobType(),
              withoutId.queue(),
              withoutId.owner(),
              withoutId.dataJson());
      deliver(e);
    } finally {
      lock.unlock();
    }
  }

  Subscription subscribe(EventFilter filter, String afterEventId, Consumer<JobEvent> listener) {
    long after = afterEventId == null ? -1 : JobEvent.parseSeq(afterEventId);
    Sub sub = new Sub(filter, listener);
    long cursor = after;
    if (after >= 0) {
      // Most of a long backlog is replayed without the lock, so live delivery to everyone else goes
      // on meanwhile; the sub is not registered yet, so nothing reaches it twice.
      long target;
      while (cursor < (target = deliveredSeq)) {
        long next = replay(sub, cursor, target);
        if (next == cursor) break;
        cursor = next;
      }
    }
    lock.lock();
    try {
      if (after >= 0) {
        while (cursor < deliveredSeq) { // the few events delivered since: the hand-over has no gap
          long next = replay(sub, cursor, deliveredSeq);
          if (next == cursor) break;
          cursor = next;
        }
      }
      subs.add(sub);
    } finally {
      lock.unlock();
    }
    return () -> subs.remove(sub);
  }

  /**
   * Delivers one page of persisted events in (from, upTo] to the sub; returns the last seq read.
   */
  private long replay(Sub sub, long from, long upTo) {
    long cursor = from;
    for (JobEvent e : storage.eventsSince(new EventsSinceParams(from, sub.filter.jobId(), PAGE))) {
      if (e.seq() > upTo) return upTo;
      if (sub.filter.matches(e)) sub.accept(e);
      cursor = e.seq();
    }
    return cursor == from ? upTo : cursor;
  }

  private void deliver(JobEvent e) {
    for (Sub s : subs) {
      if (s.filter.matches(e)) s.accept(e);
    }
  }

  private record Sub(EventFilter filter, Consumer<JobEvent> listener) {
    void accept(JobEvent e) {
      try {
        listener.accept(e);
      } catch (RuntimeException ex) {
        log.warn(
            "event listener failed on event {} of job {}; it stays subscribed",
            e.id(),
            e.jobId(),
            ex);
      }
    }
  }
}
