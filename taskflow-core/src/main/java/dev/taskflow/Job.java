package dev.taskflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A snapshot of one job as the store holds it.
 *
 * @param id UUIDv7, time-ordered
 * @param type the stable type name, e.g. {@code embedding.generate}
 * @param queue the queue it runs on
 * @param priority -100..100, higher runs first
 * @param argsJson the arguments, a JSON object as text
 * @param state the current state
 * @param attempt the number of attempts started so far (0 before the first claim)
 * @param maxAttempts attempts allowed before the job fails for good
 * @param scheduledAt when it is (or was) due
 * @param createdAt when it was enqueued
 * @param startedAt when its current or last attempt started, or null
 * @param finishedAt when it reached completed, failed, cancelled or deleted, or null
 * @param timeout the per-attempt timeout, or null for the worker's default
 * @param progress the last persisted progress, or null
 * @param resultJson the result as JSON text, or null
 * @param errors one entry per failed attempt, oldest first
 * @param owner the user or tenant the job belongs to, or null
 * @param tags free labels for search
 * @param uniqueKey the deduplication key, or null
 * @param history every state change, oldest first
 * @param leaseOwner the server holding the lease while processing, else null
 * @param leaseExpiresAt when that lease expires (store clock), else null
 * @param flow dependencies, batch, concurrency key, unique period and start deadline; {@link
 *     JobFlow#NONE} when none
 */
public record Job(
    UUID id,
    String type,
    String queue,
    int priority,
    String argsJson,
    JobState state,
    int attempt,
    int maxAttempts,
    Instant scheduledAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Duration timeout,
    JobProgress progress,
    String resultJson,
    List<JobError> errors,
    String owner,
    List<String> tags,
    String uniqueKey,
    List<HistoryEntry> history,
    String leaseOwner,
    Instant leaseExpiresAt,
    JobFlow flow) {

  public Job {
    flow = flow == null ? JobFlow.NONE : flow;
    errors = errors == null ? List.of() : List.copyOf(errors);
    tags = tags == null ? List.of() : List.copyOf(tags);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** The key a handler uses to make its effects exactly-once: {@code id:attempt}. */
  public String idempotencyKey() {
    return id + ":" + attempt;
  }
}
