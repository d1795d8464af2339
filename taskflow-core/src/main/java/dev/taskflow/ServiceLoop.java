package dev.taskflow;

import dev.taskflow.internal.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background loop that keeps running while the store fails: the engine's maintenance services,
 * the recurring scheduler and plugins' loops (webhook fan-out) all run on it.
 *
 * <p>Each pass runs {@link Step#run()}, which says how long to wait before the next one; {@link
 * #wake()} cuts a wait short. A pass that throws {@link StorageException} backs off (100 ms
 * doubling to 30 s by default, jittered); the loop logs one warning when trouble starts and one
 * line when the store is reachable again, never a line per retry. With {@link Builder#leadership},
 * a pass runs only while this server holds a named leadership, renewed before each pass and given
 * up on {@link #close()}.
 *
 * {@snippet :
 * ServiceLoop loop = ServiceLoop.builder("audit-export", () -> exportSome() ? Duration.ZERO : null)
 *     .every(Duration.ofSeconds(2))
 *     .leadership("audit-export", Duration.ofSeconds(30), context::tryLead, context::resign)
 *     .build()
 *     .start();
 * }
 */
public final class ServiceLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceLoop.class);

  /** One pass of a loop. */
  @FunctionalInterface
  public interface Step {
    /**
     * Does one pass of work.
     *
     * @return how long to wait before the next pass ({@code Duration.ZERO}: at once, there is
     *     more), or null for the loop's {@link Builder#every} interval
     */
    Duration run() throws Exception;
  }

  private final String name;
  private final Step step;
  private final Duration every;
  private final Backoff backoff;
  private final String leadership;
  private final Duration leaderTtl;
  private final BiPredicate<String, Duration> tryLead;
  private final Consumer<String> resign;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean wakeRequested; // guarded by lock
  private volatile boolean stopping;
  private volatile boolean leading;
  private volatile Thread thread;
  private long nextRenewalNanos;

  private ServiceLoop(Builder b) {
    this.name = b.name;
    this.step = b.step;
    this.every = b.every;
    this.backoff =
        new Backoff(name, b.minBackoff.toMillis(), b.maxBackoff.toMillis(), b.onRecovered);
    this.leadership = b.leadership;
    this.leaderTtl = b.leaderTtl;
    this.tryLead = b.tryLead;
    this.resign = b.resign;
  }

  /** A loop named {@code name} (in its thread's name and its log lines) running {@code step}. */
  public static Builder builder(String name, Step step) {
    return new Builder(name, step);
  }

  /** Starts the loop's thread (once). */
  public synchronized ServiceLoop start() {
    if (thread != null || stopping) return this;
    thread = Thread.ofPlatform().daemon().name("taskflow-" + name).start(this::loop);
    return this;
  }

  /** Cuts the current wait short: the next pass runs at once. */
  public void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether this server holds the loop's leadership (always true without one). */
  public boolean isLeading() {
    return leadership == null || leading;
  }

  /** Whether the last pass failed on the store. */
  public boolean isFailing() {
    return backoff.isFailing();
  }

  /**
   * Stops the loop: lets a pass in progress end (waiting up to 5 s), then gives the leadership up
   * so that another server takes over at once.
   */
  @Override
  public void close() {
    stopping = true;
    wake();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (leadership != null && leading) {
      leading = false;
      try {
        resign.accept(leadership);
      } catch (RuntimeException e) {
        log.debug("{}: could not give the leadership up: {}", name, e.getMessage());
      }
    }
  }

  private void loop() {
    while (!stopping) {
      long waitMs = every.toMillis();
      try {
        if (lead()) {
          Duration next = step.run();
          if (next != null) waitMs = Math.max(0, next.toMillis());
        }
        backoff.succeeded();
      } catch (StorageException e) {
        backoff.failed(e);
        waitMs = backoff.pauseMillis();
      } catch (InterruptedException e) {
        if (stopping) return;
        Thread.interrupted(); // a stray interrupt: keep running
      } catch (Throwable t) { // an unexpected bug must not end the loop for good
        log.error("{}: unexpected error; will keep running", name, t);
      }
      if (leadership != null && leading) {
        waitMs = Math.min(waitMs, Math.max(1, leaderTtl.toMillis() / 3));
      }
      await(waitMs);
    }
  }

  /** Renews the leadership when due; true while this server leads (always without one). */
  private boolean lead() {
    if (leadership == null) return true;
    long now = System.nanoTime();
    if (!leading || now - nextRenewalNanos >= 0) {
      boolean was = leading;
      try {
        leading = tryLead.test(leadership, leaderTtl);
      } catch (StorageException e) {
        leading = false; // cannot prove we still lead: step back until the store answers
        throw e;
      }
      nextRenewalNanos = now + leaderTtl.toNanos() / 3;
      if (leading != was) {
        log.info(
            "{}: this server {} the {} leader",
            name,
            leading ? "is now" : "is no longer",
            leadership);
      }
    }
    return leading;
  }

  private void await(long ms) {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(ms);
      while (!wakeRequested && !stopping && nanos > 0) nanos = woken.awaitNanos(nanos);
      wakeRequested = false;
    } catch (InterruptedException e) {
      if (!stopping) Thread.interrupted();
    } finally {
      lock.unlock();
    }
  }

  /** Configures a {@link ServiceLoop}; every setter checks its value at once. */
  public static final class Builder {
    private final String name;
    private final Step step;
    private Duration every = Duration.ofSeconds(1);
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Runnable onRecovered = () -> {};
    private String leadership;
    private Duration leaderTtl;
    private BiPredicate<String, Duration> tryLead;
    private Consumer<String> resign;

    private Builder(String name, Step step) {
      this.name = Names.requireArgument("loop name", name, Names.MAX_TYPE_LENGTH);
      this.step = Objects.requireNonNull(step, "step");
    }

    /** The wait between passes when a pass names none (default 1 s). */
    public Builder every(Duration d) {
      this.every = positive("every", d);
      return this;
    }

    /** The back-off while the store fails (default 100 ms doubling to 30 s). */
    public Builder backoff(Duration min, Duration max) {
      positive("min backoff", min);
      positive("max backoff", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is below min " + min);
      }
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /** Runs once a pass succeeds after failures (wake other loops that back off on their own). */
    public Builder onRecovered(Runnable r) {
      this.onRecovered = Objects.requireNonNull(r, "onRecovered");
      return this;
    }

    /**
     * Runs passes only while this server holds the named leadership, renewed every third of the
     * ttl; see {@link PluginContext#tryLead}.
     */
    public Builder leadership(
        String name, Duration ttl, BiPredicate<String, Duration> tryLead, Consumer<String> resign) {
      this.leadership = Names.requireArgument("leadership", name, Names.MAX_QUEUE_LENGTH);
      this.leaderTtl = positive("leader ttl", ttl);
      this.tryLead = Objects.requireNonNull(tryLead, "tryLead");
      this.resign = Objects.requireNonNull(resign, "resign");
      return this;
    }

    public ServiceLoop build() {
      return new ServiceLoop(this);
    }

    private static Duration positive(String what, Duration d) {
      if (d == null || d.toMillis() < 1) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
      }
      return d;
    }
  }
}
