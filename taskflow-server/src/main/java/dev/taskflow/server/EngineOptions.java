package dev.taskflow.server;

import dev.taskflow.Recurring;
import dev.taskflow.RetryPriority;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.server.demo.DemoJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** The engine options `server` and `worker` share, and the builder they describe. */
final class EngineOptions {
  @Option(
      names = "--demo",
      description =
          "Register the demo job types: "
              + "demo.echo, demo.sleep, demo.fail, demo.embed, demo.workflow.")
  boolean demo;

  @Option(
      names = "--no-migrate",
      description =
          "Never change the database schema; refuse to start while a migration is pending (run"
              + " `taskflow migrate` first). For teams that apply DDL themselves.")
  boolean noMigrate;

  @Option(
      names = "--queue",
      paramLabel = "NAME=CONCURRENCY",
      description =
          "A queue to run and how many of its jobs run at once; repeat for more. Only the"
              + " listed queues run here (default: default=10).")
  Map<String, Integer> queues = new LinkedHashMap<>();

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "Lease of a running job: a job whose process died is rescued after it (default: PT30S).")
  Duration lease = TaskFlowBuilder.DEFAULT_LEASE;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "How long running jobs may finish at shutdown (default: PT30S).")
  Duration shutdownGrace = TaskFlowBuilder.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--leader-ttl",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "How long the maintenance leadership (retention, recurring fires) lasts unless renewed;"
              + " when the leader dies another node takes over within it (default: PT30S).")
  Duration leaderTtl = TaskFlowBuilder.DEFAULT_LEADER_TTL;

  @Option(
      names = "--recurring-min-interval",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "The shortest interval between two fires a recurring schedule may have; puts of more"
              + " frequent ones are refused (default: PT1S).")
  Duration recurringMinInterval = Recurring.DEFAULT_MIN_INTERVAL;

  @Option(
      names = "--recurring-misfire-grace",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "How late a recurring fire may be enqueued and still count as on time; later ones follow"
              + " the schedule's misfire policy (default: PT1M).")
  Duration recurringMisfireGrace = Recurring.DEFAULT_MISFIRE_GRACE;

  @Option(
      names = "--retry-priority",
      paramLabel = "POLICY",
      converter = Converters.RetryPriorityConverter.class,
      description =
          "The priority of automatic retries: keep (default), fixed:N (-100..100) or lower-by:N"
              + " (1..200 lower per retry, down to -100), so retries can wait behind fresh work.")
  RetryPriority retryPriority = RetryPriority.keep();

  @Option(
      names = "--resource",
      paramLabel = "NAME=MIN..MAX[,KEY=VALUE...]",
      converter = ResourceSpec.Converter.class,
      description =
          "An adaptive (AIMD) concurrency limit of a shared downstream, per node; repeat for more."
              + " Keys: initial=N, window=N, tolerance=X, backoff=X, error-rate=X; e.g."
              + " model-server=1..32,initial=8. Bind job types with --resource-type.")
  List<ResourceSpec> resources = new ArrayList<>();

  @Option(
      names = "--resource-type",
      paramLabel = "TYPE=RESOURCE",
      description =
          "Jobs of TYPE use RESOURCE (declared with --resource) and run only while its limit has"
              + " room; repeat for more.")
  Map<String, String> resourceTypes = new LinkedHashMap<>();

  /**
   * A builder with these settings (no store yet).
   *
   * @throws IllegalArgumentException naming a setting that is out of range
   */
  TaskFlowBuilder builder() {
    TaskFlowBuilder b =
        TaskFlow.builder()
            .leaseDuration(lease)
            .shutdownGrace(shutdownGrace)
            .leaderTtl(leaderTtl)
            .recurringMinInterval(recurringMinInterval)
            .recurringMisfireGrace(recurringMisfireGrace)
            .retryPriority(retryPriority);
    queues.forEach((name, concurrency) -> b.queue(name, q -> q.concurrency(concurrency)));
    Set<String> declared = new HashSet<>();
    for (ResourceSpec r : resources) {
      if (!declared.add(r.name())) {
        throw new IllegalArgumentException("--resource " + r.name() + " is given twice");
      }
      try {
        b.resource(r.name(), r::applyTo);
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        throw new IllegalArgumentException(
            msg.startsWith("--resource") ? msg : "--resource " + r.name() + ": " + msg, e);
      }
    }
    List<String> types = demo ? DemoJobs.TYPES : List.of();
    resourceTypes.forEach(
        (type, resource) -> {
          if (!declared.contains(resource)) {
            throw new IllegalArgumentException(
                "--resource-type "
                    + type
                    + "="
                    + resource
                    + ": no --resource "
                    + resource
                    + "=MIN..MAX is declared");
          }
          if (!types.contains(type)) {
            throw new IllegalArgumentException(
                "--resource-type "
                    + type
                    + "="
                    + resource
                    + ": no worker runs type '"
                    + type
                    + "' here"
                    + (types.isEmpty()
                        ? " (add --demo for the demo types)"
                        : " (types: " + String.join(", ", types) + ")"));
          }
          b.typeResource(type, resource);
        });
    if (demo) DemoJobs.register(b);
    return b;
  }
}
