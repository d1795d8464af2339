package dev.taskflow.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated job to insert. Exactly one of {@code runAt} and {@code delay} may be set; with
 * neither, the job is due now.
 */
public record NewJob(
    UUID id,
    String type,
    String queue,
    int priority,
    String argsJson,
    int maxAttempts,
    Duration timeout,
    Instant runAt,
    Duration delay,
    String uniqueKey,
    String owner,
    List<String> tags) {
  public NewJob {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
