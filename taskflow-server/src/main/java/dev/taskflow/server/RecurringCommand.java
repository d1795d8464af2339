package dev.taskflow.server;

import dev.taskflow.RecurringSchedule;
import dev.taskflow.server.ApiClient.ApiException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskflow recurring list|put|delete|pause|resume|trigger}: recurring schedules, over {@code
 * /api/v1/recurring}.
 */
@Command(
    name = "recurring",
    mixinStandardHelpOptions = true,
    description = "Lists, shows, puts, pauses, resumes, triggers and deletes recurring schedules.",
    subcommands = {
      RecurringCommand.ListSchedules.class,
      RecurringCommand.GetSchedule.class,
      RecurringCommand.PutSchedule.class,
      RecurringCommand.DeleteSchedule.class,
      RecurringCommand.Pause.class,
      RecurringCommand.Resume.class,
      RecurringCommand.Trigger.class
    },
    footer = {
      "",
      "Examples:",
      "  taskflow recurring put nightly-report --cron '0 3 * * *' --zone Europe/Berlin \\",
      "      --type demo.echo --args '{\"scope\":\"all\"}' --overlap skip",
      "  taskflow recurring put heartbeat --every PT30S --type demo.echo",
      "  taskflow recurring list",
      "  taskflow recurring get nightly-report",
      "  taskflow recurring trigger nightly-report",
      "  taskflow recurring pause nightly-report",
      "  taskflow recurring delete nightly-report"
    })
final class RecurringCommand extends ParentCommand {

  static String path(String id) {
    return "recurring/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One line per schedule: id, when, job type, next and last fire, runs, state. */
  static void printTable(PrintWriter out, List<JsonNode> schedules) {
    Table table =
        new Table("ID", "SCHEDULE", "ZONE", "JOB TYPE", "NEXT FIRE", "LAST FIRE", "RUNS", "STATE");
    for (JsonNode s : schedules) {
      String when =
          s.path("cron").isString()
              ? s.path("cron").asString()
              : "every " + s.path("every").asString();
      String state =
          s.path("paused").asBoolean()
              ? "paused"
              : s.path("finished").asBoolean() ? "finished" : "active";
      table.row(
          s.path("id").asString(""),
          when,
          s.path("zone").asString(""),
          s.path("job").path("type").asString(""),
          s.path("nextFireAt").asString("-"),
          s.path("lastFireAt").asString("-"),
          Long.toString(s.path("runs").asLong()),
          state);
    }
    table.print(out, "No recurring schedules.");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the schedules with their next and last fire.")
  static final class ListSchedules extends ClientCommand {
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      return server.send(
          client -> {
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do {
              Map<String, String> q = new LinkedHashMap<>();
              q.put("limit", "200");
              q.put("cursor", cursor);
              JsonNode page = client.get("recurring", q);
              page.path("items").forEach(all::add);
              cursor =
                  page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
            } while (cursor != null);
            output.print(
                ApiClient.JSON.createObjectNode().set("items", ApiClient.JSON.valueToTree(all)),
                (out, items) -> printTable(out, all));
          });
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Prints one schedule: its row as in list, then its policies, end, run cap and next fires.")
  static final class GetSchedule extends ShowCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @Override
    String path() {
      return RecurringCommand.path(id);
    }

    @Override
    void print(PrintWriter out, JsonNode s) {
      printTable(out, List.of(s));
      out.println();
      detail(out, "misfire", s.path("misfire").asString(""));
      detail(out, "misfire limit", Long.toString(s.path("misfireLimit").asLong()));
      detail(out, "overlap", s.path("overlap").asString(""));
      detail(out, "end at", s.path("endAt").asString("-"));
      detail(
          out,
          "max runs",
          s.path("maxRuns").isNumber() ? Long.toString(s.path("maxRuns").asLong()) : "-");
      detail(out, "last job", s.path("lastJobId").asString("-"));
      List<String> next = new ArrayList<>();
      s.path("nextFires").forEach(t -> next.add(t.asString()));
      detail(out, "next fires", next.isEmpty() ? "-" : String.join(", ", next));
    }

    private static void detail(PrintWriter out, String label, String value) {
      out.println(label + " ".repeat(15 - label.length()) + value);
    }
  }

  /** Exactly one of --cron and --every. */
  static final class When {
    @Option(
        names = "--cron",
        paramLabel = "EXPR",
        description =
            "A cron expression: 5 fields (minute hour day month weekday), 6 with seconds first,"
                + " or a macro such as @hourly.")
    String cron;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        description =
            "A fixed interval, e.g. PT15M; fires at whole multiples of it since the epoch.")
    Duration every;
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Creates or replaces a schedule (upsert by id). Putting an unchanged schedule again"
              + " changes nothing.")
  static final class PutSchedule extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        description = "IANA time zone of the cron expression (default UTC).")
    String zone;

    @Option(
        names = "--type",
        required = true,
        paramLabel = "TYPE",
        description = "The job type each fire enqueues.")
    String type;

    @Option(
        names = "--args",
        paramLabel = "JSON",
        description = "The job's args, a JSON object (default {}).")
    String args;

    @Mixin JobOptions job;

    @Option(
        names = "--misfire",
        paramLabel = "POLICY",
        description = "After downtime: skip, run_once (default) or run_all.")
    String misfire;

    @Option(
        names = "--misfire-limit",
        paramLabel = "N",
        description = "run_all enqueues at most the latest N missed fires (default 100).")
    Integer misfireLimit;

    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        description = "allow (default), or skip a fire while the previous fire's job is live.")
    String overlap;

    @Option(names = "--paused", description = "Store it paused.")
    boolean paused;

    @Option(
        names = "--end-at",
        paramLabel = "INSTANT",
        description = "No fire after this instant, e.g. 2027-01-01T00:00:00Z.")
    String endAt;

    @Option(names = "--max-runs", paramLabel = "N", description = "Stop after N fires.")
    Long maxRuns;

    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      if (id.isEmpty() || id.length() > RecurringSchedule.MAX_ID_LENGTH) {
        throw new ParameterException(
            spec.commandLine(),
            "a schedule id is 1.."
                + RecurringSchedule.MAX_ID_LENGTH
                + " characters, was '"
                + id
                + "'");
      }
      ObjectNode body = ApiClient.JSON.createObjectNode();
      if (when.cron != null) body.put("cron", when.cron);
      if (when.every != null) body.put("every", when.every.toString());
      if (zone != null) body.put("zone", zone);
      ObjectNode jobNode = body.putObject("job");
      jobNode.put("type", type);
      if (args != null) jobNode.set("args", JsonText.parse(spec, "--args", args));
      job.putInto(jobNode);
      if (misfire != null) body.put("misfire", misfire);
      if (misfireLimit != null) body.put("misfireLimit", misfireLimit);
      if (overlap != null) body.put("overlap", overlap);
      if (paused) body.put("paused", true);
      if (endAt != null) body.put("endAt", endAt);
      if (maxRuns != null) body.put("maxRuns", maxRuns);
      return server.send(
          client ->
              output.print(client.put(path(id), body), (out, s) -> printTable(out, List.of(s))));
    }
  }

  /** A subcommand that names one schedule. */
  abstract static class OnOne extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @Mixin OutputOptions output;

    /** The request; null when the server answers without a body. */
    abstract JsonNode run(ApiClient client) throws ApiException;

    @Override
    public Integer call() {
      return server.send(
          client -> {
            JsonNode answer = run(client);
            if (answer == null) output.out().println("deleted " + id);
            else output.print(answer, OnOne::printAnswer);
          });
    }

    private static void printAnswer(PrintWriter out, JsonNode answer) {
      if (answer.has("nextFires")) {
        printTable(out, List.of(answer));
      } else {
        out.println(
            "enqueued job "
                + answer.path("id").asString()
                + " ("
                + answer.path("type").asString()
                + ")");
      }
    }
  }

  /** A subcommand that posts itself to one schedule: {@code POST /recurring/ID/<name>}. */
  abstract static class Action extends OnOne {
    @Override
    JsonNode run(ApiClient client) throws ApiException {
      return client.post(path(id) + "/" + spec.name(), ApiClient.JSON.createObjectNode());
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a schedule (its jobs stay).")
  static final class DeleteSchedule extends OnOne {
    @Override
    JsonNode run(ApiClient client) throws ApiException {
      client.delete(path(id));
      return null;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stops a schedule from firing.")
  static final class Pause extends Action {}

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Lets a paused schedule fire again, from its next fire time after now.")
  static final class Resume extends Action {}

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Enqueues the schedule's job once, now (not counted as a fire).")
  static final class Trigger extends Action {}
}
