package dev.taskflow.spi;

/** Schedules in id order after {@code afterId} (null: from the first), at most {@code limit}. */
public record RecurringListParams(String afterId, int limit) {}
