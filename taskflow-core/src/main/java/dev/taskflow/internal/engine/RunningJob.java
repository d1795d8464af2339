package dev.taskflow.internal.engine;

import dev.taskflow.Job;
import dev.taskflow.JobProgress;
import dev.taskflow.spi.JobLease;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One attempt this server holds a lease for: from claim until its outcome is written. Fields other
 * threads read are volatile or atomic; the stop reason and the right to submit the outcome are each
 * won once.
 */
final class RunningJob {
  enum Stop {
    /** A user cancelled or deleted it: the store already moved it; write no outcome. */
    CANCELLED,
    /** The lease was lost (rescued elsewhere): write no outcome. */
    LEASE_LOST,
    /** It ran past its timeout: a failed attempt. */
    TIMEOUT,
    /** Graceful shutdown ran out of time: release it, attempt not consumed. */
    RELEASE
  }

  final Job job;
  final JobLease lease;
  final RegisteredWorker<?> worker;

  /** The thread running the attempt, while it runs. */
  volatile Thread thread;

  /** Set once the attempt's code has returned (its outcome may still be waiting to be written). */
  volatile boolean done;

  volatile ScheduledFuture<?> timeoutTask;

  /** The newest progress not yet written to the store. */
  final AtomicReference<JobProgress> pendingProgress = new AtomicReference<>();

  /** Serialises progress writes so an older value never lands after a newer one. */
  final ReentrantLock progressWrite = new ReentrantLock();

  volatile long lastProgressWriteNanos;
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private final AtomicBoolean outcomeTaken = new AtomicBoolean();

  RunningJob(Job job, String leaseOwner, RegisteredWorker<?> worker) {
    this.job = job;
    this.lease = new JobLease(job.id(), job.attempt(), leaseOwner);
    this.worker = worker;
  }

  /**
   * Stops the attempt for a reason, once; interrupts its thread. Returns false if already stopped.
   */
  boolean stop(Stop reason) {
    if (!stop.compareAndSet(null, reason)) return false;
    Thread t = thread;
    if (t != null) t.interrupt();
    return true;
  }

  boolean isStopped() {
    return stop.get() != null;
  }

  Stop stopReason() {
    return stop.get();
  }

  /**
   * Wins the one right to submit this attempt's outcome (the attempt itself, or a release at
   * shutdown). Two outcomes for one lease could re-run a finished job.
   */
  boolean takeOutcome() {
    return outcomeTaken.compareAndSet(false, true);
  }
}
