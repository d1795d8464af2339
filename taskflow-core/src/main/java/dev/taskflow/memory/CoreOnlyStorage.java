package dev.taskflow.memory;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobExpireParams;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageCapabilities;
import dev.taskflow.spi.StoreListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A store that keeps only the required core of the storage SPI: it delegates the core to another
 * store and hands out none of the optional features (webhooks, limits, recurring schedules, batches
 * and dependencies, cursors), as a new store may not. For testing what an application, an extension
 * or the HTTP API does on such a store. Its name in messages is {@value #NAME}.
 *
 * {@snippet :
 * TaskFlow taskflow = TaskFlow.builder()
 *     .storage(new CoreOnlyStorage(new InMemoryStorage()))
 *     .build();
 * taskflow.webhooks().supported(); // false; taskflow.webhooks().list(null, 10) throws
 * }
 */
public final class CoreOnlyStorage implements Storage {
  /** The store name, as in "the core-only store does not keep webhooks". */
  public static final String NAME = "core-only";

  private final Storage core;

  /** A store on {@code core}, which it opens and closes with itself. */
  public CoreOnlyStorage(Storage core) {
    this.core = Objects.requireNonNull(core, "core");
  }

  @Override
  public void open() {
    core.open();
  }

  @Override
  public Instant now() {
    return core.now();
  }

  @Override
  public StorageCapabilities capabilities() {
    StorageCapabilities c = core.capabilities();
    return new StorageCapabilities(NAME, c.distributed(), c.wakeups());
  }

  @Override
  public List<InsertOutcome> jobInsertMany(JobInsertManyParams params) {
    return core.jobInsertMany(params);
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return core.jobGet(id);
  }

  @Override
  public List<Job> jobList(JobListParams params) {
    return core.jobList(params);
  }

  @Override
  public long jobQueuePosition(UUID id) {
    return core.jobQueuePosition(id);
  }

  @Override
  public List<Job> jobClaim(JobClaimParams params) {
    return core.jobClaim(params);
  }

  @Override
  public Set<UUID> jobHeartbeat(JobHeartbeatParams params) {
    return core.jobHeartbeat(params);
  }

  @Override
  public Set<UUID> jobFinishMany(JobFinishManyParams params) {
    return core.jobFinishMany(params);
  }

  @Override
  public boolean jobProgress(JobProgressParams params) {
    return core.jobProgress(params);
  }

  @Override
  public int jobRescueExpired(JobRescueParams params) {
    return core.jobRescueExpired(params);
  }

  @Override
  public int jobPromoteDue(JobPromoteParams params) {
    return core.jobPromoteDue(params);
  }

  @Override
  public int jobExpireDue(JobExpireParams params) {
    return core.jobExpireDue(params);
  }

  @Override
  public Job jobChangeState(JobChangeStateParams params) {
    return core.jobChangeState(params);
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams params) {
    return core.jobRetentionDelete(params);
  }

  @Override
  public JobEvent eventAppend(EventAppendParams params) {
    return core.eventAppend(params);
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams params) {
    return core.eventsSince(params);
  }

  @Override
  public long eventLatestSeq() {
    return core.eventLatestSeq();
  }

  @Override
  public void queuePause(String queue) {
    core.queuePause(queue);
  }

  @Override
  public void queueResume(String queue) {
    core.queueResume(queue);
  }

  @Override
  public void queueSetMaxDepth(String queue, Integer maxDepth) {
    core.queueSetMaxDepth(queue, maxDepth);
  }

  @Override
  public List<QueueStats> queueStats() {
    return core.queueStats();
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return core.jobCountByState();
  }

  @Override
  public void serverHeartbeat(ServerInfo server) {
    core.serverHeartbeat(server);
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return core.serverList(since);
  }

  @Override
  public void serverRemove(String serverId) {
    core.serverRemove(serverId);
  }

  @Override
  public boolean leaderTryAcquire(LeaderParams params) {
    return core.leaderTryAcquire(params);
  }

  @Override
  public void leaderRelease(String name, String owner) {
    core.leaderRelease(name, owner);
  }

  @Override
  public AutoCloseable listen(StoreListener listener) {
    return core.listen(listener);
  }

  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "CoreOnlyStorage[" + core + "]";
  }
}
