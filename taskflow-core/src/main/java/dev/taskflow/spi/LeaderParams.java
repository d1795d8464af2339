package dev.taskflow.spi;

import java.time.Duration;

/**
 * @param name the leadership, e.g. {@code maintenance}
 * @param owner the server asking
 * @param ttl how long the leadership lasts from the store's now unless renewed
 */
public record LeaderParams(String name, String owner, Duration ttl) {}
