package dev.taskflow.internal.engine;

import dev.taskflow.ResourceConfig;
import dev.taskflow.ResourceInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An adaptive concurrency limit for one downstream resource: additive increase, multiplicative
 * decrease over windows of finished attempts (the rules are on {@link ResourceConfig}). Claims
 * {@link #reserve()} the free room, then {@link #settle} what they started; each started attempt
 * ends in exactly one of {@link #succeeded}, {@link #failed} or {@link #released}.
 *
 * <p>Thread-safe with a short lock that is never held while blocking. Deterministic: the limit
 * depends only on the sequence of calls, so tests feed latencies and errors directly.
 */
public final class AimdLimiter {
  /** How far the baseline moves toward a higher window mean per window. */
  static final double BASELINE_DRIFT = 0.05;

  private final String name;
  private final ResourceConfig config;
  private final ReentrantLock lock = new ReentrantLock();

  // all guarded by lock
  private int limit;
  private int running;
  private int reserved;
  private int peakRunning;
  private int samples;
  private int successes;
  private int errors;
  private long latencySumNanos;
  private double baselineNanos = -1;
  private double lastMeanNanos = -1;
  private double lastErrorRate;
  private long decreases;
  private long increases;

  public AimdLimiter(String name, ResourceConfig config) {
    this.name = name;
    this.config = config;
    this.limit = config.initial();
  }

  public String name() {
    return name;
  }

  /** Takes all the free room for a claim: the claim may start up to that many attempts. */
  public int reserve() {
    lock.lock();
    try {
      int free = Math.max(0, limit - running - reserved);
      reserved += free;
      return free;
    } finally {
      lock.unlock();
    }
  }

  /** A claim that reserved {@code reservedRoom} started {@code started} attempts of it. */
  public void settle(int reservedRoom, int started) {
    lock.lock();
    try {
      reserved -= reservedRoom;
      running += started;
      peakRunning = Math.max(peakRunning, running);
    } finally {
      lock.unlock();
    }
  }

  /** An attempt finished well after {@code latency}. */
  public void succeeded(Duration latency) {
    sample(latency.toNanos(), false);
  }

  /** An attempt failed (an error or a timeout): a sign of an overloaded downstream. */
  public void failed() {
    sample(0, true);
  }

  /** An attempt ended without a verdict on the downstream (snoozed, cancelled, released). */
  public void released() {
    lock.lock();
    try {
      running = Math.max(0, running - 1);
    } finally {
      lock.unlock();
    }
  }

  private void sample(long latencyNanos, boolean error) {
    lock.lock();
    try {
      running = Math.max(0, running - 1);
      samples++;
      if (error) errors++;
      else {
        successes++;
        latencySumNanos += latencyNanos;
      }
      if (samples >= config.window()) adjust();
    } finally {
      lock.unlock();
    }
  }

  /** The end of a window: lower on high latency or errors, raise when the limit was the bound. */
  private void adjust() {
    double errorRate = (double) errors / samples;
    double mean = successes == 0 ? -1 : (double) latencySumNanos / successes;
    boolean slow = mean >= 0 && baselineNanos > 0 && mean > baselineNanos * config.tolerance();
    boolean overloaded = errorRate > config.errorRate() || slow;
    if (overloaded) {
      int lowered = Math.min(limit - 1, (int) Math.floor(limit * config.backoff()));
      int next = Math.max(config.min(), lowered);
      if (next < limit) decreases++;
      limit = next;
    } else if (peakRunning >= limit && limit < config.max()) {
      limit++;
      increases++;
    }
    if (mean >= 0) {
      if (baselineNanos < 0 || mean < baselineNanos) baselineNanos = mean;
      else baselineNanos += (mean - baselineNanos) * BASELINE_DRIFT;
      lastMeanNanos = mean;
    }
    lastErrorRate = errorRate;
    samples = 0;
    successes = 0;
    errors = 0;
    latencySumNanos = 0;
    peakRunning = running;
  }

  public int limit() {
    lock.lock();
    try {
      return limit;
    } finally {
      lock.unlock();
    }
  }

  public ResourceInfo info(List<String> types) {
    lock.lock();
    try {
      return new ResourceInfo(
          name,
          types,
          limit,
          config.min(),
          config.max(),
          running,
          lastMeanNanos < 0 ? null : Duration.ofNanos((long) lastMeanNanos),
          baselineNanos < 0 ? null : Duration.ofNanos((long) baselineNanos),
          lastErrorRate,
          decreases,
          increases);
    } finally {
      lock.unlock();
    }
  }
}
