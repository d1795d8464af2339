package dev.taskflow.spi;

import java.time.Instant;
import java.util.UUID;

/**
 * A recurring schedule as a store keeps it. The store does not read {@code specJson} (the
 * definition, written and read by the core); it compares {@code nextFireAt} to fire a schedule once
 * per fire time.
 *
 * @param id the schedule's id
 * @param specJson the definition as a JSON object
 * @param paused a paused schedule is never due
 * @param nextFireAt the next fire time not yet enqueued, or null when the schedule fires no more
 * @param lastFireAt the latest fire time that enqueued a job, or null
 * @param lastJobId the job of that fire, or null
 * @param runs how many fires enqueued a job
 * @param createdAt when it was first saved (store clock)
 * @param updatedAt when it last changed (store clock)
 */
public record RecurringRecord(
    String id,
    String specJson,
    boolean paused,
    Instant nextFireAt,
    Instant lastFireAt,
    UUID lastJobId,
    long runs,
    Instant createdAt,
    Instant updatedAt) {}
