package dev.taskflow.cluster;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Work a test keeps doing while it runs: one round after another on a daemon thread, with a pause
 * between rounds, until closed. A round handles its own failures; the loop never dies of one.
 */
final class BackgroundLoop implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  BackgroundLoop(String name, Duration pause, Runnable round) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .start(
                () -> {
                  while (running) {
                    try {
                      round.run();
                    } catch (RuntimeException e) {
                      System.err.println(name + ": unexpected error, will keep going: " + e);
                    }
                    LockSupport.parkNanos(pause.toNanos());
                  }
                });
  }

  /** Stops after the current round; waits up to 30 s for it to end. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
