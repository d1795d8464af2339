package dev.taskflow.tck;

import dev.taskflow.JobFlow;
import dev.taskflow.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A fluent builder of {@link NewJob} for the TCK, with defaults: type {@code tck.echo}, queue
 * {@code default}, priority 0, args {@code {}}, 3 attempts, due now.
 */
public final class JobSpec {
  private final UUID id;
  private String type = "tck.echo";
  private String queue = TckSupport.QUEUE;
  private int priority;
  private String argsJson = "{}";
  private int maxAttempts = 3;
  private Duration timeout;
  private Instant runAt;
  private Duration delay;
  private String uniqueKey;
  private String owner;
  private List<String> tags = List.of();
  private JobFlow flow = JobFlow.NONE;
  private Duration uniqueFor;
  private Duration startWithin;

  JobSpec(UUID id) {
    this.id = id;
  }

  public UUID id() {
    return id;
  }

  public JobSpec type(String type) {
    this.type = type;
    return this;
  }

  public JobSpec queue(String queue) {
    this.queue = queue;
    return this;
  }

  public JobSpec priority(int priority) {
    this.priority = priority;
    return this;
  }

  public JobSpec args(String argsJson) {
    this.argsJson = argsJson;
    return this;
  }

  public JobSpec maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  public JobSpec timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public JobSpec runAt(Instant runAt) {
    this.runAt = runAt;
    return this;
  }

  public JobSpec delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  public JobSpec uniqueKey(String uniqueKey) {
    this.uniqueKey = uniqueKey;
    return this;
  }

  public JobSpec owner(String owner) {
    this.owner = owner;
    return this;
  }

  public JobSpec tags(String... tags) {
    this.tags = List.of(tags);
    return this;
  }

  /** Flow-control settings as the job will hold them (dependencies, batch, key, deadline). */
  public JobSpec flow(JobFlow flow) {
    this.flow = flow;
    return this;
  }

  /** Scopes the unique key "for a period" of this length from insert (store clock). */
  public JobSpec uniqueFor(Duration uniqueFor) {
    this.uniqueFor = uniqueFor;
    return this;
  }

  /** A start deadline this long after insert (store clock). */
  public JobSpec startWithin(Duration startWithin) {
    this.startWithin = startWithin;
    return this;
  }

  public NewJob toNewJob() {
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
