package dev.taskflow.server;

import dev.taskflow.server.ApiClient.ApiException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code taskflow resources}: GET /api/v1/resources, the server's adaptive limits, as a table. */
@Command(
    name = "resources",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the adaptive concurrency limits of the shared downstreams on the server you point"
          + " at (set with `taskflow server --resource`).",
      "Each node runs its own limiter: the numbers are that node's."
    },
    footer = {"", "Examples:", "  taskflow resources", "  taskflow resources --json"})
final class ResourcesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin LimitsCommand.Server server = new LimitsCommand.Server();

  @Option(names = "--json", description = "Print the list as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      JsonNode body = EnqueueCommand.client(spec, server.url).get("resources", Map.of());
      if (json) RecurringCommand.print(out, body);
      else printTable(out, body.path("resources"));
      return 0;
    } catch (ApiException e) {
      return LimitsCommand.fail(spec, e);
    }
  }

  private static void printTable(PrintWriter out, JsonNode resources) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "NAME",
          "TYPES",
          "LIMIT",
          "MIN..MAX",
          "IN FLIGHT",
          "LATENCY",
          "BASELINE",
          "ERRORS",
          "DOWN/UP"
        });
    for (JsonNode r : resources) {
      List<String> types = new ArrayList<>();
      r.path("types").forEach(t -> types.add(t.asString()));
      rows.add(
          new String[] {
            r.path("name").asString(""),
            types.isEmpty() ? "-" : String.join(",", types),
            Integer.toString(r.path("limit").asInt()),
            r.path("min").asInt() + ".." + r.path("max").asInt(),
            Integer.toString(r.path("inFlight").asInt()),
            millis(r.path("latencyMillis")),
            millis(r.path("baselineMillis")),
            String.format(Locale.ROOT, "%.0f%%", r.path("errorRate").asDouble() * 100),
            r.path("decreases").asLong() + "/" + r.path("increases").asLong()
          });
    }
    if (rows.size() == 1) {
      out.println("No resources (start the server with --resource NAME=MIN..MAX).");
      return;
    }
    Tables.print(out, rows);
  }

  private static String millis(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f ms", n.asDouble()) : "-";
  }
}
