package dev.taskflow.server;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code taskflow enqueue TYPE ARGS_JSON [options]}: POST /api/v1/jobs on a running server. */
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Enqueues a job on a running TaskFlow server and prints the stored job as JSON.",
      "Exit code 1 when the server refuses it (the reason and the field are printed)."
    },
    footer = {
      "",
      "Examples:",
      "  taskflow enqueue demo.echo '{\"hello\": \"world\"}'",
      "  taskflow enqueue demo.sleep '{\"ms\": 5000, \"steps\": 5}' --priority 10 --delay PT30S",
      "  taskflow enqueue demo.fail '{\"failTimes\": 2}' --max-attempts 5 --tag demo",
      "  taskflow enqueue demo.echo --unique-key report-2026-01 --unique-for 24h",
      "  taskflow enqueue demo.embed '{\"text\": \"hi\"}' --start-within 10m --concurrency-key acme"
    })
final class EnqueueCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "TYPE", description = "The job type, e.g. demo.echo.")
  String type;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "ARGS_JSON",
      defaultValue = "{}",
      description = "The job's args, a JSON object (default: ${DEFAULT-VALUE}).")
  String argsJson;

  @Mixin JobOptions job;

  @Option(
      names = "--delay",
      paramLabel = "DURATION",
      description = "Run after this long: PT30S, 30s, 5m...")
  Duration delay;

  @Option(
      names = "--run-at",
      paramLabel = "TIME",
      description = "Run at this time, with an offset: 2026-01-01T10:00:00Z.")
  OffsetDateTime runAt;

  @Option(
      names = "--unique-key",
      paramLabel = "KEY",
      description = "While a live job holds this key, return it instead of enqueueing another.")
  String uniqueKey;

  @Option(
      names = "--unique-for",
      paramLabel = "DURATION",
      description =
          "Hold --unique-key for this long from the enqueue (up to P365D), even after the job"
              + " finished: a duplicate within it returns this job.")
  Duration uniqueFor;

  @Option(
      names = "--start-by",
      paramLabel = "TIME",
      description =
          "Start deadline, with an offset: a job not started by then is cancelled as expired.")
  OffsetDateTime startBy;

  @Option(
      names = "--start-within",
      paramLabel = "DURATION",
      description = "Start deadline as a duration from the enqueue (up to P365D), e.g. 10m.")
  Duration startWithin;

  @Option(
      names = "--concurrency-key",
      paramLabel = "KEY",
      description =
          "The bucket a limit with --scope key counts this job in (see `taskflow limits put`).")
  String concurrencyKey;

  @Option(
      names = "--depends-on",
      paramLabel = "JOB_ID",
      description = "Wait in 'awaiting' until this job finishes; repeat for more parents.")
  List<String> dependsOn;

  @Option(
      names = "--on-parent-failure",
      paramLabel = "POLICY",
      description = "cancel (default), run or wait: what to do when a parent does not complete.")
  String onParentFailure;

  @Override
  public Integer call() {
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.put("type", type);
    body.set("args", JsonText.object(spec, "ARGS_JSON", argsJson));
    job.putInto(body);
    if (delay != null && runAt != null) {
      throw new ParameterException(
          spec.commandLine(), "--delay and --run-at exclude each other; give one of them");
    }
    if (delay != null) body.put("delay", delay.toString());
    if (runAt != null) body.put("runAt", runAt.toString());
    if (uniqueKey != null) body.put("uniqueKey", uniqueKey);
    if (uniqueFor != null) {
      if (uniqueKey == null) {
        throw new ParameterException(
            spec.commandLine(),
            "--unique-for needs --unique-key: it says how long to hold the key");
      }
      body.put("uniqueFor", positive("--unique-for", uniqueFor).toString());
    }
    if (startBy != null && startWithin != null) {
      throw new ParameterException(
          spec.commandLine(), "--start-by and --start-within exclude each other; give one of them");
    }
    if (startBy != null) body.put("startBy", startBy.toString());
    if (startWithin != null) {
      body.put("startWithin", positive("--start-within", startWithin).toString());
    }
    if (concurrencyKey != null) {
      if (concurrencyKey.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--concurrency-key must not be blank");
      }
      body.put("concurrencyKey", concurrencyKey);
    }
    if (dependsOn != null) dependsOn.forEach(body.putArray("dependsOn")::add);
    if (onParentFailure != null) body.put("onParentFailure", onParentFailure);

    return server.send(
        client -> {
          JsonNode stored = client.post("jobs", body);
          OutputOptions.printJson(spec.commandLine().getOut(), stored);
          if (stored.path("duplicate").asBoolean(false)) {
            spec.commandLine()
                .getErr()
                .println(
                    "note: job "
                        + stored.path("id").asString()
                        + " already holds unique key '"
                        + uniqueKey
                        + "'; nothing new was enqueued");
          }
        });
  }

  private Duration positive(String option, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ParameterException(spec.commandLine(), option + " must be more than 0, was " + d);
    }
    return d;
  }
}
