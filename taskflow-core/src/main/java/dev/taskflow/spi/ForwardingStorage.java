package dev.taskflow.spi;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A store that hands every call of the required core to another store: the base of a decorator that
 * changes a few calls (a store that hides its features, one that fails on demand in a test). Every
 * data call passes through {@link #forward(Supplier)} and {@link #forward(Runnable)}, so a subclass
 * can intercept them all in one place; {@link #open()}, {@link #capabilities()}, {@link
 * #listen(StoreListener)} and {@link #close()} go straight to the delegate.
 *
 * <p>It hands out none of the optional features (their accessors keep the {@link Storage}
 * defaults): a decorator that forwards one overrides its accessor, knowingly.
 */
public abstract class ForwardingStorage implements Storage {
  /** The store every call goes to. */
  protected final Storage delegate;

  protected ForwardingStorage(Storage delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Runs one data call on the delegate; override to intercept every call. */
  protected <T> T forward(Supplier<T> call) {
    return call.get();
  }

  /** {@link #forward(Supplier)} for a call that returns nothing. */
  protected final void forward(Runnable call) {
    forward(
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public void open() {
    delegate.open();
  }

  @Override
  public StorageCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Instant now() {
    return forward(delegate::now);
  }

  @Override
  public List<InsertOutcome> jobInsertMany(JobInsertManyParams params) {
    return forward(() -> delegate.jobInsertMany(params));
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return forward(() -> delegate.jobGet(id));
  }

  @Override
  public List<Job> jobList(JobListParams params) {
    return forward(() -> delegate.jobList(params));
  }

  @Override
  public long jobQueuePosition(UUID id) {
    return forward(() -> delegate.jobQueuePosition(id));
  }

  @Override
  public List<Job> jobClaim(JobClaimParams params) {
    return forward(() -> delegate.jobClaim(params));
  }

  @Override
  public Set<UUID> jobHeartbeat(JobHeartbeatParams params) {
    return forward(() -> delegate.jobHeartbeat(params));
  }

  @Override
  public Set<UUID> jobFinishMany(JobFinishManyParams params) {
    return forward(() -> delegate.jobFinishMany(params));
  }

  @Override
  public boolean jobProgress(JobProgressParams params) {
    return forward(() -> delegate.jobProgress(params));
  }

  @Override
  public int jobRescueExpired(JobRescueParams params) {
    return forward(() -> delegate.jobRescueExpired(params));
  }

  @Override
  public int jobPromoteDue(JobPromoteParams params) {
    return forward(() -> delegate.jobPromoteDue(params));
  }

  @Override
  public int jobExpireDue(JobExpireParams params) {
    return forward(() -> delegate.jobExpireDue(params));
  }

  @Override
  public Job jobChangeState(JobChangeStateParams params) {
    return forward(() -> delegate.jobChangeState(params));
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams params) {
    return forward(() -> delegate.jobRetentionDelete(params));
  }

  @Override
  public JobEvent eventAppend(EventAppendParams params) {
    return forward(() -> delegate.eventAppend(params));
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams params) {
    return forward(() -> delegate.eventsSince(params));
  }

  @Override
  public long eventLatestSeq() {
    return forward(delegate::eventLatestSeq);
  }

  @Override
  public void queuePause(String queue) {
    forward(() -> delegate.queuePause(queue));
  }

  @Override
  public void queueResume(String queue) {
    forward(() -> delegate.queueResume(queue));
  }

  @Override
  public void queueSetMaxDepth(String queue, Integer maxDepth) {
    forward(() -> delegate.queueSetMaxDepth(queue, maxDepth));
  }

  @Override
  public List<QueueStats> queueStats() {
    return forward(delegate::queueStats);
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return forward(delegate::jobCountByState);
  }

  @Override
  public void serverHeartbeat(ServerInfo server) {
    forward(() -> delegate.serverHeartbeat(server));
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return forward(() -> delegate.serverList(since));
  }

  @Override
  public void serverRemove(String serverId) {
    forward(() -> delegate.serverRemove(serverId));
  }

  @Override
  public boolean leaderTryAcquire(LeaderParams params) {
    return forward(() -> delegate.leaderTryAcquire(params));
  }

  @Override
  public void leaderRelease(String name, String owner) {
    forward(() -> delegate.leaderRelease(name, owner));
  }

  @Override
  public AutoCloseable listen(StoreListener listener) {
    return delegate.listen(listener);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
