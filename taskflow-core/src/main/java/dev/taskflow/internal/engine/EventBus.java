package dev.taskflow.internal.engine;

import dev.taskflow.EventFilter;
import dev.taskflow.JobEvent;
import dev.taskflow.StorageException;
import dev.taskflow.Subscription;
import dev.taskflow.internal.Backoff;
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
 * the tailer so delivery is immediate; a poll (and store notifications) catch the rest.
 *
 * <p>Progress events go out at once, before they are persisted ({@link #publishEphemeral}); the
 * persisted copies of progress from attempts that ran here are then skipped so nobody sees them
 * twice.
 *
 * <p>Locking: {@code readLock} serialises reading the log; {@code deliveryLock} orders delivery and
 * is never held across a store read of the tailer, so a slow store does not hold up live progress.
 * A new subscriber replays most of its backlog without either lock, then the last few events under
 * {@code deliveryLock}, so replay and live delivery never overlap or leave a gap.
 */
final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private static final int PAGE = 1000;

  private final Storage storage;
  private final Duration pollInterval;
  private final Predicate<JobEvent> skipPersisted;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock deliveryLock = new ReentrantLock();
  private final ReentrantLock signalLock = new ReentrantLock();
  private final Condition signal = signalLock.newCondition();
  private final List<Sub> subs = new CopyOnWriteArrayList<>();
  private final Backoff backoff = new Backoff("event tailer");

  /** The newest sequence delivered; written under deliveryLock. */
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
    deliveredSeq = storage.eventLatestSeq();
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
    try {
      pump(); // deliver what the last writes appended
    } catch (StorageException e) {
      log.debug("event tailer: final read failed: {}", e.getMessage());
    }
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
      } catch (Throwable t) {
        log.error("event tailer: unexpected error; will keep running", t);
      }
    }
  }

  /** Reads and delivers every event appended since the last pump. */
  void pump() {
    readLock.lock();
    try {
      while (true) {
        List<JobEvent> page = storage.eventsSince(new EventsSinceParams(deliveredSeq, null, PAGE));
        if (page.isEmpty()) return;
        deliveryLock.lock();
        try {
          for (JobEvent e : page) {
            deliveredSeq = e.seq();
            ephemeralCounter = 0;
            if (!skipPersisted.test(e)) deliver(e);
          }
        } finally {
          deliveryLock.unlock();
        }
        if (page.size() < PAGE) return;
      }
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Delivers an event that is not (yet) persisted, on the caller's thread; its id is the last
   * persisted seq plus a suffix.
   */
  void publishEphemeral(JobEvent withoutId) {
    deliveryLock.lock();
    try {
      String id = deliveredSeq + "." + (++ephemeralCounter);
      deliver(
          new JobEvent(
              id,
              withoutId.type(),
              withoutId.time(),
              withoutId.jobId(),
              withoutId.jobType(),
              withoutId.queue(),
              withoutId.owner(),
              withoutId.dataJson()));
    } finally {
      deliveryLock.unlock();
    }
  }

  Subscription subscribe(EventFilter filter, String afterEventId, Consumer<JobEvent> listener) {
    long after = afterEventId == null ? -1 : JobEvent.parseSeq(afterEventId);
    Sub sub = new Sub(filter, listener, after);
    if (after >= 0) {
      // Most of a long backlog is replayed without a lock, so delivery to everyone else goes on
      // meanwhile; the sub is not registered yet, so nothing reaches it twice.
      long target;
      while (sub.floor < (target = deliveredSeq)) {
        if (!replayPage(sub, target)) break;
      }
    }
    deliveryLock.lock();
    try {
      if (after >= 0) {
        while (sub.floor
            < deliveredSeq) { // the few events delivered since: no gap at the hand-over
          if (!replayPage(sub, deliveredSeq)) break;
        }
      }
      subs.add(sub);
    } finally {
      deliveryLock.unlock();
    }
    return () -> subs.remove(sub);
  }

  /**
   * Delivers one page of persisted events in (sub.floor, upTo] to the sub and moves its floor;
   * returns false when the page was empty (nothing more to replay up to {@code upTo}).
   */
  private boolean replayPage(Sub sub, long upTo) {
    List<JobEvent> page =
        storage.eventsSince(new EventsSinceParams(sub.floor, sub.filter.jobId(), PAGE));
    for (JobEvent e : page) {
      if (e.seq() > upTo) {
        sub.floor = upTo;
        return false;
      }
      if (sub.matcher.test(e)) sub.accept(e);
      sub.floor = e.seq();
    }
    if (page.size() < PAGE) {
      sub.floor = Math.max(sub.floor, upTo); // nothing else of this filter up to upTo
      return false;
    }
    return true;
  }

  private void deliver(JobEvent e) {
    boolean persisted = e.id().indexOf('.') < 0;
    for (Sub s : subs) {
      if (persisted && e.seq() <= s.floor) continue; // already replayed to this subscriber
      if (s.matcher.test(e)) s.accept(e);
    }
  }

  /** One subscription; compared by identity, so closing one never removes another. */
  private static final class Sub {
    final EventFilter filter;
    final Predicate<JobEvent> matcher;
    final Consumer<JobEvent> listener;

    /** Persisted events at or below this sequence were already delivered by the replay. */
    volatile long floor;

    Sub(EventFilter filter, Consumer<JobEvent> listener, long floor) {
      this.filter = filter;
      this.matcher = filter.matcher(); // compiled once: delivery runs under the delivery lock
      this.listener = listener;
      this.floor = floor;
    }

    void accept(JobEvent e) {
      try {
        listener.accept(e);
      } catch (Throwable t) {
        log.warn(
            "event listener failed on event {} of job {}; it stays subscribed",
            e.id(),
            e.jobId(),
            t);
      }
    }
  }
}
