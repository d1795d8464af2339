package dev.taskflow.server;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** The settings of a job that {@code enqueue} and {@code recurring put} share. */
final class JobOptions {
  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description = "The job's queue (default: default).")
  String queue;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "The job's priority, -100..100; higher runs first (default 0).")
  Integer priority;

  @Option(names = "--max-attempts", paramLabel = "N", description = "The job's attempts, 1..100.")
  Integer maxAttempts;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "The job's timeout per attempt: PT10M, 10m...")
  Duration timeout;

  @Option(names = "--owner", paramLabel = "OWNER", description = "The user or tenant it is for.")
  String owner;

  @Option(names = "--tag", paramLabel = "TAG", description = "A tag of the job; repeat for more.")
  List<String> tags;

  /** Puts the settings given into a job as {@code POST /api/v1/jobs} takes it. */
  void putInto(ObjectNode job) {
    if (queue != null) job.put("queue", queue);
    if (priority != null) job.put("priority", priority);
    if (maxAttempts != null) job.put("maxAttempts", maxAttempts);
    if (timeout != null) job.put("timeout", timeout.toString());
    if (owner != null) job.put("owner", owner);
    if (tags != null) tags.forEach(job.putArray("tags")::add);
  }
}
