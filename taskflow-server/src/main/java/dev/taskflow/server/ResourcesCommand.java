package dev.taskflow.server;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
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
final class ResourcesCommand extends ShowCommand {
  @Override
  String path() {
    return "resources";
  }

  @Override
  void print(PrintWriter out, JsonNode body) {
    Table table =
        new Table(
            "NAME",
            "TYPES",
            "LIMIT",
            "MIN..MAX",
            "IN FLIGHT",
            "LATENCY",
            "BASELINE",
            "ERRORS",
            "DOWN/UP");
    for (JsonNode r : body.path("resources")) {
      List<String> types = new ArrayList<>();
      r.path("types").forEach(t -> types.add(t.asString()));
      table.row(
          r.path("name").asString(""),
          types.isEmpty() ? "-" : String.join(",", types),
          Integer.toString(r.path("limit").asInt()),
          r.path("min").asInt() + ".." + r.path("max").asInt(),
          Integer.toString(r.path("inFlight").asInt()),
          millis(r.path("latencyMillis")),
          millis(r.path("baselineMillis")),
          String.format(Locale.ROOT, "%.0f%%", r.path("errorRate").asDouble() * 100),
          r.path("decreases").asLong() + "/" + r.path("increases").asLong());
    }
    table.print(out, "No resources (start the server with --resource NAME=MIN..MAX).");
  }

  private static String millis(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f ms", n.asDouble()) : "-";
  }
}
