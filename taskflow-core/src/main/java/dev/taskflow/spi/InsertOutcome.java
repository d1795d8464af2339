package dev.taskflow.spi;

import dev.taskflow.Job;

/**
 * @param job the inserted job, or the live holder of the unique key when {@code duplicate}
 */
public record InsertOutcome(Job job, boolean duplicate) {}
