package dev.taskflow.web;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What event streams may cost the server, shared by SSE, the WebSocket and the dashboard: how many
 * are open at once ({@link WebConfig#maxEventStreams()}), how many resume replays read the log at
 * once ({@link WebConfig#maxConcurrentReplays()}, one page per permit, so a client that reads
 * slowly holds none while it reads), and how far one replay request reads ({@link
 * WebConfig#replayScanLimit()}).
 */
public final class StreamLimits {
  /** Events read from the log per replay page. */
  public static final int PAGE = 1000;

  private final int maxStreams;
  private final int scanLimit;
  private final AtomicInteger open = new AtomicInteger();
  private final Semaphore replays;

  /** The bounds of {@code config}: streams, concurrent replays, replay scan. */
  public StreamLimits(WebConfig config) {
    this.maxStreams = config.maxEventStreams();
    this.scanLimit = config.replayScanLimit();
    this.replays = new Semaphore(config.maxConcurrentReplays(), true);
  }

  /** Takes one stream slot; false when every slot is taken (the caller refuses the stream). */
  public boolean tryOpen() {
    while (true) {
      int n = open.get();
      if (n >= maxStreams) return false;
      if (open.compareAndSet(n, n + 1)) return true;
    }
  }

  /** Gives back a slot taken by {@link #tryOpen()}. */
  public void closed() {
    open.decrementAndGet();
  }

  /** Streams open now, all kinds. */
  public int open() {
    return open.get();
  }

  /** The most streams open at once ({@link WebConfig#maxEventStreams()}). */
  public int max() {
    return maxStreams;
  }

  /** Events one resume request reads ({@link WebConfig#replayScanLimit()}). */
  public int scanLimit() {
    return scanLimit;
  }

  /** Waits up to 10 s for a replay permit; false when none came (the server is busy replaying). */
  public boolean acquireReplay() {
    try {
      return replays.tryAcquire(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives back a permit taken by {@link #acquireReplay()}. */
  public void releaseReplay() {
    replays.release();
  }

  /** 503: every stream slot is taken. */
  public Problem tooManyStreams() {
    String detail =
        "this server has "
            + maxStreams
            + " event streams open, its limit: close some, or try again later";
    return Problem.onParameter(
        503,
        "too-many-streams",
        "Too many event streams",
        "path",
        "max_streams",
        detail,
        Map.of("Retry-After", "5"));
  }
}
