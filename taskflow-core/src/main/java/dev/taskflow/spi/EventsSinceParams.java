package dev.taskflow.spi;

import java.util.UUID;

/**
 * @param afterSeq only events with a sequence above this
 * @param jobId only this job's events, or null for all
 * @param limit at most this many
 */
public record EventsSinceParams(long afterSeq, UUID jobId, int limit) {}
