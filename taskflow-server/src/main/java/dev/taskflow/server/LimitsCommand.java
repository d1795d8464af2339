package dev.taskflow.server;

import dev.taskflow.FlowLimit;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskflow limits list|put|delete}: the cluster-wide concurrency and rate limits, over
 * {@code /api/v1/limits}.
 */
@Command(
    name = "limits",
    mixinStandardHelpOptions = true,
    description = "Lists, sets and deletes the concurrency and rate limits of a TaskFlow server.",
    subcommands = {
      LimitsCommand.ListLimits.class,
      LimitsCommand.PutLimit.class,
      LimitsCommand.DeleteLimit.class
    },
    footer = {
      "",
      "Examples:",
      "  taskflow limits put reports --type report.build --max-running 2",
      "  taskflow limits put email-per-user --type email.send --scope owner --rate 100/1m",
      "  taskflow limits list",
      "  taskflow limits delete reports"
    })
final class LimitsCommand extends ParentCommand {
  static String checkedName(CommandSpec spec, String name) {
    if (name.isEmpty()
        || name.length() > FlowLimit.MAX_NAME_LENGTH
        || !FlowLimit.NAME.matcher(name).matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "limit name must be 1.."
              + FlowLimit.MAX_NAME_LENGTH
              + " characters matching "
              + FlowLimit.NAME.pattern()
              + ", was '"
              + name
              + "'");
    }
    return name;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the limits with how much of each is in use now.")
  static final class ListLimits extends ShowCommand {
    @Override
    String path() {
      return "limits";
    }

    @Override
    void print(PrintWriter out, JsonNode page) {
      Table table = new Table("NAME", "TYPE", "QUEUE", "SCOPE", "MAX RUNNING", "RATE", "RUNNING");
      for (JsonNode l : page.path("items")) {
        JsonNode usage = l.path("usage");
        String rate =
            l.path("rateCount").isNumber()
                ? l.path("rateCount").asInt()
                    + "/"
                    + l.path("ratePeriod").asString()
                    + " ("
                    + usage.path("recentStarts").asLong()
                    + " recent)"
                : "-";
        table.row(
            l.path("name").asString(""),
            l.path("type").asString("*"),
            l.path("queue").asString("*"),
            l.path("scope").asString(""),
            l.path("maxRunning").isNumber() ? Integer.toString(l.path("maxRunning").asInt()) : "-",
            rate,
            Long.toString(usage.path("running").asLong()));
      }
      table.print(out, "No limits.");
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Creates or replaces a limit (every option not given is left unset).")
  static final class PutLimit extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The limit's name.")
    String name;

    @Mixin JobMatch jobs;

    @Option(
        names = "--scope",
        paramLabel = "SCOPE",
        defaultValue = "global",
        description = "global, key (per concurrency key) or owner (default ${DEFAULT-VALUE}).")
    String scope;

    @Option(
        names = "--max-running",
        paramLabel = "N",
        description = "At most N running at once per bucket (1: a mutex).")
    Integer maxRunning;

    @Option(
        names = "--rate",
        paramLabel = "N/PERIOD",
        description = "At most N starts per PERIOD per bucket, e.g. 100/1m or 5/PT1S.")
    String rate;

    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      checkedName(spec, name);
      ObjectNode body = ApiClient.JSON.createObjectNode();
      if (jobs.type != null) body.put("type", jobs.type);
      if (jobs.queue != null) body.put("queue", jobs.queue);
      body.put("scope", scope);
      if (maxRunning != null) body.put("maxRunning", maxRunning.intValue());
      if (rate != null) {
        int slash = rate.indexOf('/');
        if (slash < 1) {
          throw new ParameterException(
              spec.commandLine(), "--rate must look like 100/1m or 5/PT1S, was '" + rate + "'");
        }
        int count;
        Duration period;
        try {
          count = Integer.parseInt(rate.substring(0, slash).strip());
          period = Converters.duration(rate.substring(slash + 1));
        } catch (RuntimeException e) {
          throw new ParameterException(
              spec.commandLine(),
              "--rate must look like 100/1m or 5/PT1S, was '" + rate + "': " + e.getMessage());
        }
        body.put("rateCount", count);
        body.put("ratePeriod", period.toString());
      }
      return server.send(
          client ->
              output.print(
                  client.put("limits/" + name, body),
                  (out, stored) -> out.println("Limit " + name + " stored.")));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a limit.")
  static final class DeleteLimit extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The limit's name.")
    String name;

    @Override
    public Integer call() {
      checkedName(spec, name);
      return server.send(
          client -> {
            client.delete("limits/" + name);
            spec.commandLine().getOut().println("Limit " + name + " deleted.");
          });
    }
  }
}
