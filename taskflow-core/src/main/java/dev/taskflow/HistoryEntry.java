package dev.taskflow;

import java.time.Instant;

/**
 * One state change in a job's append-only history.
 *
 * @param state the state entered
 * @param at when (store clock)
 * @param reason why, e.g. {@code enqueued}, {@code claimed}, {@code retry}, {@code lease_expired},
 *     {@code cancelled by user}
 * @param server the server that made the change, or null
 */
public record HistoryEntry(JobState state, Instant at, String reason, String server) {}
