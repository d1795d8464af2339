package dev.taskflow.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskflow batches create|get}: enqueues a batch of jobs and shows a batch's state and
 * counts, over {@code /api/v1/batches}.
 */
@Command(
    name = "batches",
    mixinStandardHelpOptions = true,
    description = "Creates batches of jobs and shows their state.",
    subcommands = {BatchesCommand.CreateBatch.class, BatchesCommand.GetBatch.class},
    footer = {
      "",
      "Examples:",
      "  taskflow batches create jobs.json --description 'nightly import' \\",
      "      --callback-type demo.echo --callback-args '{\"done\": true}'",
      "  echo '[{\"type\": \"demo.echo\"}, {\"type\": \"demo.echo\"}]' | taskflow batches create -",
      "  taskflow batches get 0190f5b2-0000-7000-8000-000000000001"
    })
final class BatchesCommand extends ParentCommand {
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Enqueues a batch of jobs atomically (POST /api/v1/batches) and prints its id and its"
            + " jobs' ids.",
        "FILE holds either a JSON array of jobs (each as POST /api/v1/jobs takes it; a member's"
            + " dependsOn may name another member by its index) or the whole request body"
            + " {\"jobs\": [...], \"callback\": {...}, \"description\": ..., \"metadata\": {...}}."
      })
  static final class CreateBatch extends ClientCommand {
    @Parameters(
        paramLabel = "FILE",
        description = "The JSON file to read, or - for standard input.")
    String file;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the batch is for.")
    String description;

    @Option(
        names = "--callback-type",
        paramLabel = "TYPE",
        description = "A job of this type is enqueued once every member has finished.")
    String callbackType;

    @Option(
        names = "--callback-args",
        paramLabel = "JSON",
        description = "The callback job's args, a JSON object (needs --callback-type).")
    String callbackArgs;

    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      ObjectNode body = body(read());
      if (description != null) set(body, "description", "--description", description);
      if (callbackArgs != null && callbackType == null) {
        throw new ParameterException(
            spec.commandLine(), "--callback-args needs --callback-type: the callback's job type");
      }
      if (callbackType != null) {
        ObjectNode cb = ApiClient.JSON.createObjectNode();
        cb.put("type", callbackType);
        if (callbackArgs != null) {
          cb.set("args", JsonText.object(spec, "--callback-args", callbackArgs));
        }
        set(body, "callback", "--callback-type", cb);
      }
      return server.send(client -> output.print(client.post("batches", body), CreateBatch::print));
    }

    private static void print(PrintWriter out, JsonNode r) {
      out.println("batch    " + r.path("id").asString());
      out.println("jobs     " + r.path("ids").size());
      for (JsonNode id : r.path("ids")) out.println("  " + id.asString());
      if (r.path("callbackJobId").isString()) {
        out.println("callback " + r.path("callbackJobId").asString());
      }
    }

    private String read() {
      try {
        return file.equals("-")
            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException | InvalidPathException e) {
        throw new ParameterException(
            spec.commandLine(), "FILE cannot be read: '" + file + "' (" + e.getMessage() + ")");
      }
    }

    /** The request body: the file's object, or {@code {"jobs": ARRAY}} for an array. */
    private ObjectNode body(String text) {
      JsonNode tree;
      try {
        tree = ApiClient.JSON.readTree(text);
      } catch (JacksonException e) {
        throw new ParameterException(
            spec.commandLine(),
            "FILE '" + file + "' is not valid JSON (" + e.getOriginalMessage() + ")");
      }
      if (tree instanceof ArrayNode jobs) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.set("jobs", jobs);
        return body;
      }
      if (tree instanceof ObjectNode body && body.has("jobs")) return body;
      throw new ParameterException(
          spec.commandLine(),
          "FILE '"
              + file
              + "' must hold a JSON array of jobs or an object with \"jobs\": [...], was: "
              + ApiClient.abbreviate(text));
    }

    private void set(ObjectNode body, String field, String option, Object value) {
      if (body.hasNonNull(field)) {
        throw new ParameterException(
            spec.commandLine(),
            option + " and the file's \"" + field + "\" exclude each other; give one of them");
      }
      if (value instanceof JsonNode n) body.set(field, n);
      else body.put(field, value.toString());
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Prints a batch's state and its members' counts per state.")
  static final class GetBatch extends ShowCommand {
    @Parameters(paramLabel = "ID", description = "The batch id.")
    String id;

    @Override
    String path() {
      if (!id.matches("[0-9a-fA-F-]{36}")) {
        throw new ParameterException(spec.commandLine(), "a batch id is a UUID, was '" + id + "'");
      }
      return "batches/" + id;
    }

    @Override
    void print(PrintWriter out, JsonNode b) {
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
    }
  }
}
