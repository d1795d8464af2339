package dev.taskflow.server;

import dev.taskflow.Queues;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
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
final class QueuesCommand extends ParentCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the queues.")
  static final class ListQueues extends ShowCommand {
    @Override
    String path() {
      return "queues";
    }

    @Override
    void print(PrintWriter out, JsonNode page) {
      Table table = new Table("NAME", "WAITING", "MAX DEPTH", "RUNNING", "PAUSED");
      for (JsonNode q : page.path("queues")) {
        table.row(
            q.path("name").asString(""),
            Long.toString(q.path("depth").asLong()),
            q.path("maxDepth").isNumber() ? Integer.toString(q.path("maxDepth").asInt()) : "-",
            Long.toString(q.path("counts").path("processing").asLong()),
            q.path("paused").asBoolean() ? "yes" : "no");
      }
      table.print(out, "No queues.");
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Changes a queue's shared settings.")
  static final class SetQueue extends ClientCommand {
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
      return server.send(
          client -> {
            JsonNode q = client.patch("queues/" + name, body);
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
          });
    }
  }
}
