package dev.taskflow.server;

import dev.taskflow.Recurring;
import dev.taskflow.RetryPriority;
import dev.taskflow.StorageException;
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
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The engine options {@code server} and {@code worker} share, the builder they describe, and how
 * both run: started on the store, then until SIGTERM or Ctrl+C.
 */
final class EngineOptions {
  /** How both commands stop, for their help. */
  static final String STOPS_GRACEFULLY =
      "Stops gracefully on SIGTERM or Ctrl+C: running jobs get --shutdown-grace to finish, the"
          + " rest go back to the queue.";

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

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
      description =
          "Lease of a running job: a job whose process died is rescued after it (default: PT30S).")
  Duration lease = TaskFlowBuilder.DEFAULT_LEASE;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      description = "How long running jobs may finish at shutdown (default: PT30S).")
  Duration shutdownGrace = TaskFlowBuilder.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--leader-ttl",
      paramLabel = "DURATION",
      description =
          "How long the maintenance leadership (retention, recurring fires) lasts unless renewed;"
              + " when the leader dies another node takes over within it (default: PT30S).")
  Duration leaderTtl = TaskFlowBuilder.DEFAULT_LEADER_TTL;

  @Option(
      names = "--recurring-min-interval",
      paramLabel = "DURATION",
      description =
          "The shortest interval between two fires a recurring schedule may have; puts of more"
              + " frequent ones are refused (default: PT1S).")
  Duration recurringMinInterval = Recurring.DEFAULT_MIN_INTERVAL;

  @Option(
      names = "--recurring-misfire-grace",
      paramLabel = "DURATION",
      description =
          "How late a recurring fire may be enqueued and still count as on time; later ones follow"
              + " the schedule's misfire policy (default: PT1M).")
  Duration recurringMisfireGrace = Recurring.DEFAULT_MISFIRE_GRACE;

  @Option(
      names = "--retry-priority",
      paramLabel = "POLICY",
      description =
          "The priority of automatic retries: keep (default), fixed:N (-100..100) or lower-by:N"
              + " (1..200 lower per retry, down to -100), so retries can wait behind fresh work.")
  RetryPriority retryPriority = RetryPriority.keep();

  @Option(
      names = "--resource",
      paramLabel = "NAME=MIN..MAX[,KEY=VALUE...]",
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
   * @throws ParameterException naming a setting that is out of range (exit code 2)
   */
  TaskFlowBuilder builder() {
    try {
      return configure(TaskFlow.builder());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  private TaskFlowBuilder configure(TaskFlowBuilder b) {
    b.leaseDuration(lease)
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

  /**
   * Builds TaskFlow on the store (migrating it unless {@code --no-migrate}) and starts it.
   *
   * @throws StartupException when the store cannot be opened
   */
  TaskFlow start(TaskFlowBuilder builder, StoreSpec store) throws StartupException {
    TaskFlow taskflow = null;
    try {
      taskflow = builder.storage(store.create(!noMigrate)).build();
      taskflow.start();
      return taskflow;
    } catch (StorageException e) {
      if (taskflow != null) taskflow.close();
      throw new StartupException("cannot open the store " + store + ": " + e.getMessage(), e);
    }
  }

  /**
   * Says {@code running} once SIGTERM and Ctrl+C stop gracefully, then blocks until one comes: its
   * shutdown hook runs {@code stop}.
   */
  static void runUntilSignalled(Logger log, Runnable running, Runnable stop)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping (signal received)");
                  stop.run();
                  stopped.countDown();
                },
                "taskflow-shutdown"));
    running.run();
    stopped.await();
  }
}
