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
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
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
final class RecurringCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "name a subcommand: list, get, put, delete, pause, resume or trigger");
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

  static String path(String id) {
    return "recurring/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static int fail(CommandSpec spec, ApiException e) {
    spec.commandLine().getErr().println("error: " + e.getMessage());
    return Main.EXIT_FAILED;
  }

  static void print(PrintWriter out, JsonNode node) {
    out.println(ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
  }

  /** One line per schedule: id, when, job type, next and last fire, runs, state. */
  static void printTable(PrintWriter out, List<JsonNode> schedules) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "ID", "SCHEDULE", "ZONE", "JOB TYPE", "NEXT FIRE", "LAST FIRE", "RUNS", "STATE"
        });
    for (JsonNode s : schedules) {
      String when =
          s.path("cron").isString()
              ? s.path("cron").asString()
              : "every " + s.path("every").asString();
      String state =
          s.path("paused").asBoolean()
              ? "paused"
              : s.path("finished").asBoolean() ? "finished" : "active";
      rows.add(
          new String[] {
            s.path("id").asString(""),
            when,
            s.path("zone").asString(""),
            s.path("job").path("type").asString(""),
            s.path("nextFireAt").asString("-"),
            s.path("lastFireAt").asString("-"),
            Long.toString(s.path("runs").asLong()),
            state
          });
    }
    if (rows.size() == 1) {
      out.println("No recurring schedules.");
      return;
    }
    Tables.print(out, rows);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the schedules with their next and last fire.")
  static final class ListSchedules implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Server server = new Server();

    @Option(names = "--json", description = "Print the schedules as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        ApiClient client = EnqueueCommand.client(spec, server.url);
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
          Map<String, String> q = new LinkedHashMap<>();
          q.put("limit", "200");
          q.put("cursor", cursor);
          JsonNode page = client.get("recurring", q);
          page.path("items").forEach(all::add);
          cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null);
        if (json) {
          print(
              out, ApiClient.JSON.createObjectNode().set("items", ApiClient.JSON.valueToTree(all)));
        } else {
          printTable(out, all);
        }
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Prints one schedule: its row as in list, then its policies, end, run cap and next fires.")
  static final class GetSchedule implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Server server = new Server();

    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @Option(names = "--json", description = "Print the schedule as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode s = EnqueueCommand.client(spec, server.url).get(path(id), Map.of());
        if (json) {
          print(out, s);
          return 0;
        }
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
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
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
        converter = Converters.DurationConverter.class,
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
  static final class PutSchedule implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Server server = new Server();

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

    @Option(names = "--queue", paramLabel = "NAME", description = "The job's queue.")
    String queue;

    @Option(names = "--priority", paramLabel = "N", description = "The job's priority, -100..100.")
    Integer priority;

    @Option(names = "--max-attempts", paramLabel = "N", description = "The job's attempts, 1..100.")
    Integer maxAttempts;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = Converters.DurationConverter.class,
        description = "The job's timeout per attempt.")
    Duration timeout;

    @Option(names = "--owner", paramLabel = "OWNER", description = "The job's owner.")
    String owner;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag of the job; repeat for more.")
    List<String> tags;

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

    @Option(names = "--json", description = "Print the stored schedule as JSON.")
    boolean json;

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
      ObjectNode job = body.putObject("job");
      job.put("type", type);
      if (args != null) {
        try {
          job.set("args", ApiClient.JSON.readTree(args));
        } catch (RuntimeException e) {
          throw new ParameterException(spec.commandLine(), "--args is not valid JSON: " + args);
        }
      }
      if (queue != null) job.put("queue", queue);
      if (priority != null) job.put("priority", priority);
      if (maxAttempts != null) job.put("maxAttempts", maxAttempts);
      if (timeout != null) job.put("timeout", timeout.toString());
      if (owner != null) job.put("owner", owner);
      if (tags != null) tags.forEach(job.putArray("tags")::add);
      if (misfire != null) body.put("misfire", misfire);
      if (misfireLimit != null) body.put("misfireLimit", misfireLimit);
      if (overlap != null) body.put("overlap", overlap);
      if (paused) body.put("paused", true);
      if (endAt != null) body.put("endAt", endAt);
      if (maxRuns != null) body.put("maxRuns", maxRuns);
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode s = EnqueueCommand.client(spec, server.url).put(path(id), body);
        if (json) print(out, s);
        else printTable(out, List.of(s));
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
    }
  }

  /** A subcommand that names one schedule. */
  abstract static class OnOne implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Server server = new Server();

    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    abstract JsonNode run(ApiClient client) throws ApiException;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        JsonNode answer = run(EnqueueCommand.client(spec, server.url));
        if (answer == null) out.println("deleted " + id);
        else if (json) print(out, answer);
        else if (answer.has("nextFires")) printTable(out, List.of(answer));
        else
          out.println(
              "enqueued job "
                  + answer.path("id").asString()
                  + " ("
                  + answer.path("type").asString()
                  + ")");
        return 0;
      } catch (ApiException e) {
        return fail(spec, e);
      }
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
  static final class Pause extends OnOne {
    @Override
    JsonNode run(ApiClient client) throws ApiException {
      return client.post(path(id) + "/pause", ApiClient.JSON.createObjectNode());
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Lets a paused schedule fire again, from its next fire time after now.")
  static final class Resume extends OnOne {
    @Override
    JsonNode run(ApiClient client) throws ApiException {
      return client.post(path(id) + "/resume", ApiClient.JSON.createObjectNode());
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Enqueues the schedule's job once, now (not counted as a fire).")
  static final class Trigger extends OnOne {
    @Override
    JsonNode run(ApiClient client) throws ApiException {
      return client.post(path(id) + "/trigger", ApiClient.JSON.createObjectNode());
    }
  }
}
