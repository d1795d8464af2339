package dev.taskflow.server;

import dev.taskflow.Recurring;
import dev.taskflow.TaskFlow;
import dev.taskflow.server.demo.DemoJobs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
  Duration lease = TaskFlow.Builder.DEFAULT_LEASE;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "How long running jobs may finish at shutdown (default: PT30S).")
  Duration shutdownGrace = TaskFlow.Builder.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--leader-ttl",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "How long the maintenance leadership (retention, recurring fires) lasts unless renewed;"
              + " when the leader dies another node takes over within it (default: PT30S).")
  Duration leaderTtl = TaskFlow.Builder.DEFAULT_LEADER_TTL;

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

  /**
   * A builder with these settings (no store yet).
   *
   * @throws IllegalArgumentException naming a setting that is out of range
   */
  TaskFlow.Builder builder() {
    TaskFlow.Builder b =
        TaskFlow.builder()
            .leaseDuration(lease)
            .shutdownGrace(shutdownGrace)
            .leaderTtl(leaderTtl)
            .recurringMinInterval(recurringMinInterval)
            .recurringMisfireGrace(recurringMisfireGrace);
    queues.forEach((name, concurrency) -> b.queue(name, q -> q.concurrency(concurrency)));
    if (demo) DemoJobs.register(b);
    return b;
  }
}
