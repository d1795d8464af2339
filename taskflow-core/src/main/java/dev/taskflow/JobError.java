package dev.taskflow;

import java.time.Instant;

/**
 * What went wrong in one attempt.
 *
 * @param attempt the attempt that failed
 * @param at when (store clock)
 * @param type the exception class name, or a reason such as {@code lease_expired}, {@code timeout}
 * @param message the exception message
 * @param stackTrace the full stack trace, or null
 */
public record JobError(int attempt, Instant at, String type, String message, String stackTrace) {}
