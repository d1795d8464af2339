package dev.taskflow.server;

import dev.taskflow.server.ApiClient.ApiException;
import java.io.PrintWriter;
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

/** {@code taskflow batches get ID}: a batch's state and counts, over {@code /api/v1/batches}. */
@Command(
    name = "batches",
    mixinStandardHelpOptions = true,
    description = "Shows batches of jobs (enqueue them with POST /api/v1/batches).",
    subcommands = {BatchesCommand.GetBatch.class},
    footer = {"", "Examples:", "  taskflow batches get 0190f5b2-0000-7000-8000-000000000001"})
final class BatchesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: get");
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Prints a batch's state and its members' counts per state.")
  static final class GetBatch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LimitsCommand.Server server = new LimitsCommand.Server();

    @Parameters(paramLabel = "ID", description = "The batch id.")
    String id;

    @Option(names = "--json", description = "Print the batch as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (!id.matches("[0-9a-fA-F-]{36}")) {
        throw new ParameterException(spec.commandLine(), "a batch id is a UUID, was '" + id + "'");
      }
      try {
        JsonNode b = EnqueueCommand.client(spec, server.url).get("batches/" + id, Map.of());
        if (json) {
          out.println(
              ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(b));
          return 0;
        }
        out.println("batch    " + b.path("id").asString());
        out.println("state    " + b.path("state").asString());
        if (b.path("description").isString()) {
          out.println("about    " + b.path("description").asString());
        }
        out.println("total    " + b.path("total").asInt());
        StringBuilder counts = new StringBuilder();
        for (var e : b.path("counts").properties()) {
          if (e.getValue().asLong() == 0) continue;
          if (!counts.isEmpty()) counts.append(", ");
          counts.append(e.getKey()).append(' ').append(e.getValue().asLong());
        }
        out.println("counts   " + (counts.isEmpty() ? "-" : counts));
        if (b.path("callbackJobId").isString()) {
          out.println("callback " + b.path("callbackJobId").asString());
        }
        if (b.path("finishedAt").isString()) {
          out.println("finished " + b.path("finishedAt").asString());
        }
        return 0;
      } catch (ApiException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return Main.EXIT_FAILED;
      }
    }
  }
}
