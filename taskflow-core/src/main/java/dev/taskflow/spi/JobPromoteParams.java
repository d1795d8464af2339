package dev.taskflow.spi;

/**
 * @param limit at most this many per call
 */
public record JobPromoteParams(String serverId, int limit) {}
