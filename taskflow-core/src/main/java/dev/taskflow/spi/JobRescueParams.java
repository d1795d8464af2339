package dev.taskflow.spi;

/**
 * @param serverId the server doing the rescue (for history)
 * @param limit at most this many per call
 */
public record JobRescueParams(String serverId, int limit) {}
