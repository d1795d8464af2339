package dev.taskflow;

/**
 * What {@link Recurring#put} did.
 *
 * @param schedule the schedule as stored
 * @param created true when no schedule had the id before
 */
public record RecurringPutResult(RecurringInfo schedule, boolean created) {}
