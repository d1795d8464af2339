package dev.taskflow.engine;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.spi.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A real store behind a switch: while {@link #down} is set, every call fails as a lost database
 * connection would. Fault injection for outage tests; the data lives in the real store behind it.
 * It wraps the core only and hands out no feature: a feature call could not fail with the switch.
 */
final class FlakyStorage implements Storage {
  private final Storage real;
  private final boolean closeReal;
  volatile boolean down;

  FlakyStorage(Storage real) {
    this(real, true);
  }

  /** With {@code closeReal} false, closing leaves the real store open so a test can inspect it. */
  FlakyStorage(Storage real, boolean closeReal) {
    this.real = real;
    this.closeReal = closeReal;
  }

  /** Per-operation faults: given the SPI method name, the exception to throw, or null. */
  volatile java.util.function.Function<String, RuntimeException> fault = op -> null;

  private <T> T call(Supplier<T> s) {
    if (down) throw new StorageException("connection refused (store is down for this test)");
    String op =
        StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName());
    RuntimeException e = fault.apply(op);
    if (e != null) throw e;
    return s.get();
  }

  private void run(Runnable r) {
    call(
        () -> {
          r.run();
          return null;
        });
  }

  @Override
  public void open() {
    real.open();
  }

  @Override
  public Instant now() {
    return call(real::now);
  }

  @Override
  public StorageCapabilities capabilities() {
    return real.capabilities();
  }

  @Override
  public List<InsertOutcome> jobInsertMany(JobInsertManyParams p) {
    return call(() -> real.jobInsertMany(p));
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return call(() -> real.jobGet(id));
  }

  @Override
  public List<Job> jobList(JobListParams p) {
    return call(() -> real.jobList(p));
  }

  @Override
  public long jobQueuePosition(UUID id) {
    return call(() -> real.jobQueuePosition(id));
  }

  @Override
  public List<Job> jobClaim(JobClaimParams p) {
    return call(() -> real.jobClaim(p));
  }

  @Override
  public Set<UUID> jobHeartbeat(JobHeartbeatParams p) {
    return call(() -> real.jobHeartbeat(p));
  }

  @Override
  public Set<UUID> jobFinishMany(JobFinishManyParams p) {
    return call(() -> real.jobFinishMany(p));
  }

  @Override
  public boolean jobProgress(JobProgressParams p) {
    return call(() -> real.jobProgress(p));
  }

  @Override
  public int jobRescueExpired(JobRescueParams p) {
    return call(() -> real.jobRescueExpired(p));
  }

  @Override
  public int jobPromoteDue(JobPromoteParams p) {
    return call(() -> real.jobPromoteDue(p));
  }

  @Override
  public int jobExpireDue(JobExpireParams p) {
    return call(() -> real.jobExpireDue(p));
  }

  @Override
  public Job jobChangeState(JobChangeStateParams p) {
    return call(() -> real.jobChangeState(p));
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams p) {
    return call(() -> real.jobRetentionDelete(p));
  }

  @Override
  public JobEvent eventAppend(EventAppendParams p) {
    return call(() -> real.eventAppend(p));
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams p) {
    return call(() -> real.eventsSince(p));
  }

  @Override
  public long eventLatestSeq() {
    return call(real::eventLatestSeq);
  }

  @Override
  public void queuePause(String q) {
    run(() -> real.queuePause(q));
  }

  @Override
  public void queueResume(String q) {
    run(() -> real.queueResume(q));
  }

  @Override
  public void queueSetMaxDepth(String q, Integer maxDepth) {
    run(() -> real.queueSetMaxDepth(q, maxDepth));
  }

  @Override
  public List<QueueStats> queueStats() {
    return call(real::queueStats);
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return call(real::jobCountByState);
  }

  @Override
  public void serverHeartbeat(ServerInfo s) {
    run(() -> real.serverHeartbeat(s));
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return call(() -> real.serverList(since));
  }

  @Override
  public void serverRemove(String id) {
    run(() -> real.serverRemove(id));
  }

  @Override
  public boolean leaderTryAcquire(LeaderParams p) {
    return call(() -> real.leaderTryAcquire(p));
  }

  @Override
  public void leaderRelease(String name, String owner) {
    run(() -> real.leaderRelease(name, owner));
  }

  @Override
  public AutoCloseable listen(StoreListener listener) {
    return real.listen(listener);
  }

  @Override
  public void close() {
    if (closeReal) real.close();
  }
}
