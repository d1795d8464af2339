package dev.taskflow.server;

import dev.taskflow.FlowLimit;
import dev.taskflow.server.ApiClient.ApiException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
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
final class LimitsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: list, put or delete");
  }

  /** The server option every subcommand takes. */
  static class Server {
    @Option(
        names = "--url",
        paramLabel = "URL",
        defaultValue = "${env:TASKFLOW_URL:-http://127.0.0.1:8080}",
        description = "The server (default: $TASKFLOW_URL or ${DEFAULT-VALUE}).")
    String url;
  }

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

  static int fail(CommandSpec spec, ApiException e) {
    spec.commandLine().getErr().println("error: " + e.getMessage());
    return Main.EXIT_FAILED;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the limits with how much of each is in use now.")
  static final class ListLimits implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Server server = new Server();

    @Option(names = "--json", description = "Print the list as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode page = EnqueueCommand.client(spec, server.url).get("limits", Map.of());
        if (json) {
          out.println(
              ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(page));
        } else {
          printTable(out, page);
        }
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
    }

    private static void printTable(PrintWriter out, JsonNode page) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "TYPE", "QUEUE", "SCOPE", "MAX RUNNING", "RATE", "RUNNING"});
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
        rows.add(
            new String[] {
              l.path("name").asString(""),
              l.path("type").asString("*"),
              l.path("queue").asString("*"),
              l.path("scope").asString(""),
              l.path("maxRunning").isNumber()
                  ? Integer.toString(l.path("maxRunning").asInt())
                  : "-",
              rate,
              Long.toString(usage.path("running").asLong())
            });
      }
      if (rows.size() == 1) {
        out.println("No limits.");
        return;
      }
      Tables.print(out, rows);
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Creates or replaces a limit (every option not given is left unset).")
  static final class PutLimit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Server server = new Server();

    @Parameters(index = "0", paramLabel = "NAME", description = "The limit's name.")
    String name;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
    String type;

    @Option(names = "--queue", paramLabel = "NAME", description = "Only jobs on this queue.")
    String queue;

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

    @Option(names = "--json", description = "Print the stored limit as JSON.")
    boolean json;

    @Override
    public Integer call() {
      checkedName(spec, name);
      ObjectNode body = ApiClient.JSON.createObjectNode();
      if (type != null) body.put("type", type);
      if (queue != null) body.put("queue", queue);
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
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode stored = EnqueueCommand.client(spec, server.url).put("limits/" + name, body);
        if (json) {
          out.println(
              ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(stored));
        } else {
          out.println("Limit " + name + " stored.");
        }
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a limit.")
  static final class DeleteLimit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin Server server = new Server();

    @Parameters(index = "0", paramLabel = "NAME", description = "The limit's name.")
    String name;

    @Override
    public Integer call() {
      checkedName(spec, name);
      try {
        EnqueueCommand.client(spec, server.url).delete("limits/" + name);
        spec.commandLine().getOut().println("Limit " + name + " deleted.");
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
    }
  }
}
