package dev.taskflow.server;

import dev.taskflow.JobState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code taskflow jobs [--state S]...}: GET /api/v1/jobs as a table, newest first. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lists jobs on a running TaskFlow server, newest first.",
      "`taskflow jobs get ID` shows one job in full."
    },
    subcommands = JobsCommand.GetJob.class,
    footer = {
      "",
      "Examples:",
      "  taskflow jobs",
      "  taskflow jobs get 0190f5b2-0000-7000-8000-000000000001",
      "  taskflow jobs --state failed --state cancelled --type demo.fail",
      "  taskflow jobs --json --limit 500"
    })
final class JobsCommand extends ShowCommand {
  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only jobs in this state; repeat or comma-separate for more: ${COMPLETION-CANDIDATES}.",
      completionCandidates = States.class)
  List<String> states;

  @Mixin JobMatch jobs;

  @Option(names = "--owner", paramLabel = "OWNER", description = "Only jobs of this owner.")
  String owner;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only jobs with this tag.")
  String tag;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most this many, 1..500 (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Continue after a previous page (printed under the table).")
  String cursor;

  @Override
  String path() {
    if (states != null) {
      for (String s : states) {
        try {
          JobState.fromWire(s);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--state: " + e.getMessage());
        }
      }
    }
    if (limit < 1 || limit > 500) {
      throw new ParameterException(spec.commandLine(), "--limit must be 1..500, was " + limit);
    }
    return "jobs";
  }

  @Override
  Map<String, String> query() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", states == null ? null : String.join(",", states));
    query.put("type", jobs.type);
    query.put("queue", jobs.queue);
    query.put("owner", owner);
    query.put("tag", tag);
    query.put("limit", Integer.toString(limit));
    query.put("cursor", cursor);
    return query;
  }

  @Override
  void print(PrintWriter out, JsonNode page) {
    Table table = new Table("ID", "TYPE", "QUEUE", "STATE", "ATTEMPT", "PROGRESS", "CREATED");
    for (JsonNode j : page.path("items")) {
      JsonNode p = j.path("progress");
      table.row(
          j.path("id").asString(""),
          j.path("type").asString(""),
          j.path("queue").asString(""),
          j.path("state").asString(""),
          j.path("attempt").asInt() + "/" + j.path("maxAttempts").asInt(),
          p.isObject() ? p.path("percent").asInt() + "%" : "-",
          j.path("createdAt").asString(""));
    }
    JsonNode next = page.path("nextCursor");
    if (table.print(out, "No jobs match.") && next.isString()) {
      out.println("More: taskflow jobs --cursor " + next.asString() + " (with the same filters)");
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Prints one job: its state, place in the queue while enqueued, progress, flow controls,"
              + " last error and history.")
  static final class GetJob extends ShowCommand {
    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    String path() {
      if (!id.matches(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
        throw new ParameterException(spec.commandLine(), "a job id is a UUID, was '" + id + "'");
      }
      return "jobs/" + id;
    }

    @Override
    void print(PrintWriter out, JsonNode j) {
      line(out, "job", j.path("id").asString());
      line(out, "type", j.path("type").asString());
      line(out, "queue", j.path("queue").asString());
      line(out, "state", j.path("state").asString());
      if (j.path("queuePosition").isNumber()) {
        line(out, "position", j.path("queuePosition").asLong() + " ahead in the queue");
      }
      line(out, "priority", Integer.toString(j.path("priority").asInt()));
      line(out, "attempt", j.path("attempt").asInt() + "/" + j.path("maxAttempts").asInt());
      JsonNode p = j.path("progress");
      if (p.isObject()) {
        String msg = p.path("message").isString() ? " " + p.path("message").asString() : "";
        line(out, "progress", p.path("percent").asInt() + "%" + msg);
      }
      for (String f :
          List.of(
              "createdAt",
              "scheduledAt",
              "startedAt",
              "finishedAt",
              "timeout",
              "owner",
              "uniqueKey",
              "uniqueUntil",
              "startBy",
              "concurrencyKey",
              "batchId",
              "onParentFailure")) {
        if (j.path(f).isString()) line(out, f, j.path(f).asString());
      }
      for (String f : List.of("tags", "dependsOn")) {
        if (j.path(f).isEmpty()) continue;
        List<String> items = new ArrayList<>();
        j.path(f).forEach(t -> items.add(t.asString()));
        line(out, f, String.join(", ", items));
      }
      JsonNode errors = j.path("errors");
      if (!errors.isEmpty()) {
        JsonNode e = errors.get(errors.size() - 1);
        line(
            out,
            "error",
            "attempt "
                + e.path("attempt").asInt()
                + ": "
                + e.path("type").asString("")
                + ": "
                + e.path("message").asString(""));
      }
      out.println("history");
      for (JsonNode h : j.path("history")) {
        out.println(
            "  "
                + h.path("at").asString("")
                + "  "
                + h.path("state").asString("")
                + "  "
                + h.path("reason").asString("")
                + (h.path("server").isString() ? "  (" + h.path("server").asString() + ")" : ""));
      }
    }

    private static void line(PrintWriter out, String label, String value) {
      out.println(label + " ".repeat(Math.max(1, 16 - label.length())) + value);
    }
  }

  /** The state names for the help text. */
  static final class States implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(JobState.values()).map(JobState::wireName).iterator();
    }
  }
}
