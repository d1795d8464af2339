package dev.taskflow.server;

import dev.taskflow.Queues;
import dev.taskflow.server.ApiClient.ApiException;
import java.io.PrintWriter;
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
 * {@code taskflow queues list|set}: queue depths and the settings every server shares (the maximum
 * depth), over {@code /api/v1/queues}.
 */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description = "Lists queues and sets their maximum depth (backpressure).",
    subcommands = {QueuesCommand.ListQueues.class, QueuesCommand.SetQueue.class},
    footer = {
      "",
      "Examples:",
      "  taskflow queues list",
      "  taskflow queues set embeddings --max-depth 10000",
      "  taskflow queues set embeddings --max-depth none"
    })
final class QueuesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: list or set");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the queues.")
  static final class ListQueues implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LimitsCommand.Server server = new LimitsCommand.Server();

    @Option(names = "--json", description = "Print the list as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode page = EnqueueCommand.client(spec, server.url).get("queues", Map.of());
        if (json) {
          out.println(
              ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(page));
          return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "WAITING", "MAX DEPTH", "RUNNING", "PAUSED"});
        for (JsonNode q : page.path("queues")) {
          rows.add(
              new String[] {
                q.path("name").asString(""),
                Long.toString(q.path("depth").asLong()),
                q.path("maxDepth").isNumber() ? Integer.toString(q.path("maxDepth").asInt()) : "-",
                Long.toString(q.path("counts").path("processing").asLong()),
                q.path("paused").asBoolean() ? "yes" : "no"
              });
        }
        if (rows.size() == 1) {
          out.println("No queues.");
          return 0;
        }
        Tables.print(out, rows);
        return 0;
      } catch (ApiException e) {
        return LimitsCommand.fail(spec, e);
      }
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Changes a queue's shared settings.")
  static final class SetQueue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LimitsCommand.Server server = new LimitsCommand.Server();

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String name;

    @Option(
        names = "--max-depth",
        paramLabel = "N|none",
        required = true,
        description =
            "At most N waiting jobs (enqueued, scheduled, awaiting); an enqueue past it is"
                + " refused with 429. 'none' removes the bound.")
    String maxDepth;

    @Override
    public Integer call() {
      ObjectNode body = ApiClient.JSON.createObjectNode();
      if (maxDepth.equalsIgnoreCase("none")) {
        body.putNull("maxDepth");
      } else {
        int n;
        try {
          n = Integer.parseInt(maxDepth.strip());
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n < 0 || n > Queues.MAX_DEPTH) {
          throw new ParameterException(
              spec.commandLine(),
              "--max-depth must be 0.." + Queues.MAX_DEPTH + " or none, was '" + maxDepth + "'");
        }
        body.put("maxDepth", n);
      }
      try {
        JsonNode q = EnqueueCommand.client(spec, server.url).patch("queues/" + name, body);
        spec.commandLine()
            .getOut()
            .println(
                "Queue "
                    + name
                    + ": max depth "
                    + (q.path("maxDepth").isNumber() ? q.path("maxDepth").asInt() : "none")
                    + ", "
                    + q.path("depth").asLong()
                    + " waiting.");
        return 0;
      } catch (ApiException e) {
        return LimitsCommand.fail(spec, e);
      }
    }
  }
}
