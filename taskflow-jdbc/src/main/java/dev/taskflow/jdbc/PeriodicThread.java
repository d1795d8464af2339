package dev.taskflow.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A store's own background duty on a daemon thread: one pass every interval until stopped (folding
 * PostgreSQL's job counters, checkpointing SQLite's WAL). The pass must catch and log its own
 * failures, so the thread never dies silently; {@link #stop()} lets a pass in progress finish.
 */
public final class PeriodicThread {
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * @param name the thread's name
   * @param interval the pause before each pass
   * @param pass one round of the duty
   * @param atExit run once on the thread when it ends (release what the passes held)
   */
  public PeriodicThread(String name, Duration interval, Runnable pass, Runnable atExit) {
    long nanos = interval.toNanos();
    Objects.requireNonNull(pass, "pass");
    Objects.requireNonNull(atExit, "atExit");
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .unstarted(
                () -> {
                  while (!stopped && !Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(nanos);
                    if (stopped) break;
                    pass.run();
                  }
                  atExit.run();
                });
  }

  public void start() {
    thread.start();
  }

  /** Stops the thread and waits up to 10 s for it (a pass in progress finishes first). */
  public void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
