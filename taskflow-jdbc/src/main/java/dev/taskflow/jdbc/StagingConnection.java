package dev.taskflow.jdbc;

/**
 * Marks a connection of a caller's own transaction on which a store stages its events instead of
 * taking the event-log lock (PostgreSQL: rows go to {@code taskflow_events_staged}, and a deferred
 * trigger moves them into the log at the caller's commit), so the lock that keeps event sequences
 * in commit order is never held while the caller's own work goes on.
 */
public interface StagingConnection {}
