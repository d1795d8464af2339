package dev.taskflow.spi;

import dev.taskflow.JobFlow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated job to insert. Exactly one of {@code runAt} and {@code delay} may be set; with
 * neither, the job is due now.
 *
 * <p>{@code flow} carries the flow-control settings as the job will hold them, except two that are
 * relative to the store's clock and resolved by the store at insert: {@code uniqueFor} (the job
 * holds {@code uniqueUntil = now + uniqueFor}) and {@code startWithin} (the job holds {@code
 * startBy = now + startWithin} unless {@code flow.startBy()} is set).
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
    List<String> tags,
    JobFlow flow,
    Duration uniqueFor,
    Duration startWithin) {
  public NewJob {
    tags = tags == null ? List.of() : List.copyOf(tags);
    flow = flow == null ? JobFlow.NONE : flow;
  }

  /** A job without flow-control settings. */
  public NewJob(
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
    this(
        id,
        type,
        queue,
        priority,
        argsJson,
        maxAttempts,
        timeout,
        runAt,
        delay,
        uniqueKey,
        owner,
        tags,
        JobFlow.NONE,
        null,
        null);
  }

  /**
   * The settings the inserted job holds: {@code uniqueFor} and {@code startWithin} from {@code
   * now}.
   */
  public JobFlow resolvedFlow(Instant now) {
    if (uniqueFor == null && startWithin == null) return flow;
    Instant startBy =
        flow.startBy() != null || startWithin == null ? flow.startBy() : now.plus(startWithin);
    Instant uniqueUntil = uniqueFor == null ? flow.uniqueUntil() : now.plus(uniqueFor);
    return new JobFlow(
        flow.dependsOn(),
        flow.onParentFailure(),
        flow.batchId(),
        flow.concurrencyKey(),
        uniqueUntil,
        startBy);
  }

  /** This job with other flow-control settings (a batch id, for one). */
  public NewJob withFlow(JobFlow flow) {
    return new NewJob(
        id,
        type,
        queue,
        priority,
        argsJson,
        maxAttempts,
        timeout,
        runAt,
        delay,
        uniqueKey,
        owner,
        tags,
        flow,
        uniqueFor,
        startWithin);
  }
}
