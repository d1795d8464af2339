package dev.taskflow.memory;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobFlow;
import dev.taskflow.JobProgress;
import dev.taskflow.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The mutable row of one job inside {@link InMemoryStorage}. Only touched under the store's lock.
 *
 * <p>Invariant: while a row sits in one of the store's ordered indexes, the fields its comparator
 * reads (priority, scheduledAt, leaseExpiresAt, finishedAt, state) do not change. The store
 * unindexes a row, mutates it, and indexes it again.
 */
final class MemoryJob {
  /**
   * Ids in unsigned byte order: the order of their canonical text and of a SQL uuid/blob column
   * ({@link UUID#compareTo} compares signed longs, which differs for ids with the top bit set).
   */
  static final Comparator<UUID> ID_ORDER =
      (a, b) -> {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0
            ? c
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  /** Claim order: priority descending, then due time, then id. */
  static final Comparator<MemoryJob> CLAIM_ORDER =
      Comparator.<MemoryJob>comparingInt(j -> -j.priority)
          .thenComparing(j -> j.scheduledAt)
          .thenComparing(j -> j.id, ID_ORDER);

  static final Comparator<MemoryJob> BY_SCHEDULED_AT =
      Comparator.<MemoryJob, Instant>comparing(j -> j.scheduledAt)
          .thenComparing(j -> j.id, ID_ORDER);

  static final Comparator<MemoryJob> BY_LEASE_EXPIRY =
      Comparator.<MemoryJob, Instant>comparing(j -> j.leaseExpiresAt)
          .thenComparing(j -> j.id, ID_ORDER);

  static final Comparator<MemoryJob> BY_FINISHED_AT =
      Comparator.<MemoryJob, Instant>comparing(j -> j.finishedAt)
          .thenComparing(j -> j.id, ID_ORDER);

  final UUID id;
  final String type;
  final String queue;
  int priority; // a retry may change it (JobFinish.Retry#priority), while the row is unindexed
  final String argsJson;
  final Instant createdAt;
  final Duration timeout;
  final String owner;
  final List<String> tags;
  final String uniqueKey;

  JobState state;
  int attempt;
  int maxAttempts;
  Instant scheduledAt;
  Instant startedAt;
  Instant finishedAt;
  JobProgress progress;
  String resultJson;
  final List<JobError> errors = new ArrayList<>();
  final List<HistoryEntry> history = new ArrayList<>();
  String leaseOwner;
  Instant leaseExpiresAt;
  JobFlow flow = JobFlow.NONE;

  MemoryJob(
      UUID id,
      String type,
      String queue,
      int priority,
      String argsJson,
      Instant createdAt,
      Duration timeout,
      String owner,
      List<String> tags,
      String uniqueKey) {
    this.id = id;
    this.type = type;
    this.queue = queue;
    this.priority = priority;
    this.argsJson = argsJson;
    this.createdAt = createdAt;
    this.timeout = timeout;
    this.owner = owner;
    this.tags = List.copyOf(tags);
    this.uniqueKey = uniqueKey;
  }

  /** Whether the unique key (if any) is held: every state but the finished ones. */
  boolean isLive() {
    return !state.isFinished();
  }

  void clearLease() {
    leaseOwner = null;
    leaseExpiresAt = null;
  }

  Job toJob() {
    return new Job(
        id,
        type,
        queue,
        priority,
        argsJson,
        state,
        attempt,
        maxAttempts,
        scheduledAt,
        createdAt,
        startedAt,
        finishedAt,
        timeout,
        progress,
        resultJson,
        errors,
        owner,
        tags,
        uniqueKey,
        history,
        leaseOwner,
        leaseExpiresAt,
        flow);
  }
}
