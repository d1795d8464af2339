package dev.taskflow.spi;

import java.time.Instant;

/**
 * Hard-deletes jobs that finished before the cutoff for their state (null: keep), with their
 * events.
 *
 * @param limit at most this many rows per call (bounded batches)
 */
public record JobRetentionParams(
    Instant completedBefore,
    Instant failedBefore,
    Instant cancelledBefore,
    Instant deletedBefore,
    int limit) {}
