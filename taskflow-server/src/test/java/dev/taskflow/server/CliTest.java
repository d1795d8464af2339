package dev.taskflow.server;

import static dev.taskflow.server.Cli.cli;
import static dev.taskflow.server.Cli.startServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.fixtures.ChildJvm;
import dev.taskflow.server.Cli.Result;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The CLI against a real server (in-memory store, random port), as a user would run it. */
class CliTest {
  @RegisterExtension static final CliServer server = new CliServer("--queue", "default=4");

  @Test
  void enqueue_prints_the_stored_job_as_json_and_the_job_runs() {
    Result r = server.cli("enqueue", "demo.echo", "{\"hello\": \"world\"}");

    assertThat(r.code()).isZero();
    JsonNode printed = ApiClient.JSON.readTree(r.out());
    assertThat(printed.get("type").asString()).isEqualTo("demo.echo");
    UUID id = UUID.fromString(printed.get("id").asString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.taskflow().get(id).orElseThrow().state() == JobState.COMPLETED);
    assertThat(server.taskflow().get(id).orElseThrow().resultJson())
        .isEqualTo("{\"hello\":\"world\"}");
  }

  @Test
  void enqueue_passes_every_option_to_the_server() {
    Result r =
        server.cli(
            "enqueue",
            "demo.sleep",
            "{\"ms\": 1}",
            "--queue=reports",
            "--priority=7",
            "--delay=PT1H",
            "--max-attempts=3",
            "--timeout=5m",
            "--unique-key=report-2026-01",
            "--owner=user-42",
            "--tag=a",
            "--tag=b");

    Job job = stored(r);
    assertThat(job.queue()).isEqualTo("reports");
    assertThat(job.priority()).isEqualTo(7);
    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(Duration.between(job.createdAt(), job.scheduledAt())).isEqualTo(Duration.ofHours(1));
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(job.uniqueKey()).isEqualTo("report-2026-01");
    assertThat(job.owner()).isEqualTo("user-42");
    assertThat(job.tags()).containsExactly("a", "b");
  }

  @Test
  void enqueue_passes_the_flow_control_options_and_get_shows_them() {
    Result r =
        server.cli(
            "enqueue",
            "demo.sleep",
            "--delay=1h",
            "--unique-key=held-for-a-day",
            "--unique-for=24h",
            "--start-within=PT2H",
            "--concurrency-key=tenant-7");

    Job job = stored(r);
    Result get = server.cli("jobs", "get", job.id().toString(), "--json");
    assertThat(get.code()).as(get.err()).isZero();
    JsonNode shown = ApiClient.JSON.readTree(get.out());
    Instant created = Instant.parse(shown.get("createdAt").asString());
    assertThat(Instant.parse(shown.get("uniqueUntil").asString()))
        .isEqualTo(created.plus(Duration.ofHours(24)));
    assertThat(Instant.parse(shown.get("startBy").asString()))
        .isEqualTo(created.plus(Duration.ofHours(2)));
    assertThat(shown.get("concurrencyKey").asString()).isEqualTo("tenant-7");
    assertThat(job.flow().concurrencyKey()).isEqualTo("tenant-7");
  }

  @Test
  void enqueue_with_a_start_deadline_at_a_time_sets_it() {
    OffsetDateTime by =
        OffsetDateTime.now(ZoneOffset.ofHours(-5)).plusDays(2).truncatedTo(ChronoUnit.SECONDS);

    Result r = server.cli("enqueue", "demo.echo", "--delay=1h", "--start-by=" + by);

    assertThat(stored(r).flow().startBy()).isEqualTo(by.toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--unique-for=soon --unique-key=k",
        "--unique-for=0s --unique-key=k",
        "--unique-for=-PT1H --unique-key=k",
        "--unique-for=1h",
        "--start-within=PT0S",
        "--start-within=later",
        "--start-by=2099-01-01T00:00:00",
        "--start-by=2099-01-01T00:00:00Z --start-within=1m",
        "--concurrency-key=  "
      })
  void enqueue_with_a_bad_flow_control_option_is_a_usage_error_naming_it(String options) {
    String[] given = options.split(" (?=--)");
    String[] args = new String[given.length + 2];
    args[0] = "enqueue";
    args[1] = "demo.echo";
    System.arraycopy(given, 0, args, 2, given.length);

    Result r = server.cli(args);

    r.assertUsageError(given[0].substring(0, given[0].indexOf('=')));
  }

  @Test
  void enqueue_with_a_deadline_too_far_ahead_prints_the_servers_field_and_exits_1() {
    Result r = server.cli("enqueue", "demo.echo", "--start-within=P400D");

    r.assertFailed("- startWithin:", "[range]");
  }

  @Test
  void jobs_get_prints_one_job_with_its_queue_position_and_history() {
    // the server runs only the default queue, so jobs on 'parked' stay enqueued
    server.cli("enqueue", "demo.echo", "--queue=parked");
    Job second = stored(server.cli("enqueue", "demo.echo", "--queue=parked", "--priority=-3"));

    Result r = server.cli("jobs", "get", second.id().toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "job             " + second.id(),
            "state           enqueued",
            "position        1 ahead in the queue",
            "priority        -3",
            "history",
            "  " + second.createdAt().toString().substring(0, 10));
  }

  @Test
  void jobs_get_of_an_unknown_job_exits_1_and_a_malformed_id_is_a_usage_error() {
    Result unknown = server.cli("jobs", "get", UUID.randomUUID().toString());
    unknown.assertFailed("(404)");

    Result bad = server.cli("jobs", "get", "nope");
    bad.assertUsageError("a job id is a UUID, was 'nope'");
  }

  @Test
  void server_retry_priority_sets_the_priority_of_automatic_retries() throws Exception {
    try (ServerCommand.Running s =
        startServer("--demo", "--store", "memory", "--port", "0", "--retry-priority=fixed:-50")) {
      UUID id =
          s.taskflow()
              .enqueue(
                  new dev.taskflow.JobRequest(
                      "demo.fail",
                      "{\"failTimes\": 1}",
                      dev.taskflow.EnqueueOptions.defaults().priority(5).maxAttempts(3)))
              .job()
              .id();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Job j = s.taskflow().get(id).orElseThrow();
                return j.attempt() >= 1 && j.state() != JobState.PROCESSING;
              });

      assertThat(s.taskflow().get(id).orElseThrow().priority()).isEqualTo(-50);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lower", "fixed:101", "fixed:x", "lower-by:0", "lower-by:201"})
  void server_with_a_bad_retry_priority_is_a_usage_error_naming_the_value(String value) {
    Result r = cli("server", "--store=memory", "--retry-priority=" + value);

    r.assertUsageError("--retry-priority", "'" + value + "'", "keep, fixed:N");
  }

  @Test
  void server_with_a_resource_lists_it_over_http_and_the_resources_command_prints_it()
      throws Exception {
    try (ServerCommand.Running s =
        startServer(
            "--demo",
            "--store",
            "memory",
            "--port",
            "0",
            "--resource",
            "model-server=2..20,initial=5,window=4,backoff=0.5",
            "--resource-type",
            "demo.embed=model-server")) {
      JsonNode answer = new ApiClient(s.url()).get("resources", Map.of());
      JsonNode r = answer.get("resources").get(0);
      assertThat(r.get("name").asString()).isEqualTo("model-server");
      assertThat(r.get("types").get(0).asString()).isEqualTo("demo.embed");
      assertThat(r.get("limit").asInt()).isEqualTo(5);
      assertThat(r.get("min").asInt()).isEqualTo(2);
      assertThat(r.get("max").asInt()).isEqualTo(20);

      Result table = cli("resources", "--url=" + s.url());

      assertThat(table.code()).as(table.err()).isZero();
      List<String> lines = table.out().lines().toList();
      assertThat(lines.getFirst()).startsWith("NAME").contains("LIMIT", "MIN..MAX", "IN FLIGHT");
      assertThat(lines.get(1).split("\\s+"))
          .startsWith("model-server", "demo.embed", "5", "2..20", "0", "-", "-", "0%", "0/0");
      assertThat(ApiClient.JSON.readTree(cli("resources", "--json", "--url=" + s.url()).out()))
          .isEqualTo(answer);
    }
  }

  @Test
  void resources_of_a_server_without_any_says_so() {
    Result r = server.cli("resources");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("No resources");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--resource=model",
        "--resource=model=0..5",
        "--resource=model=5..2",
        "--resource=model=1..5,speed=2",
        "--resource=model=1..5,initial=9",
        "--resource=model=1..5,backoff=half",
        "--resource=bad name=1..5",
        "--resource-type=demo.embed=undeclared"
      })
  void server_with_a_bad_resource_is_a_usage_error_naming_the_option(String option) {
    Result r = cli("server", "--store=memory", "--demo", option);

    r.assertUsageError(option.substring(0, option.indexOf('=')));
  }

  @Test
  void server_answers_the_allowed_hosts_it_is_given_and_421_to_any_other() throws Exception {
    ServerCommand.Running s =
        startServer(
            "--store=memory",
            "--port=0",
            "--allowed-host=jobs.example.com,ops.example.com",
            "--allowed-host",
            "Proxy.Example.");
    try {
      int port = s.port();
      for (String host : List.of("jobs.example.com", "ops.example.com:8443", "proxy.example")) {
        assertThat(statusFor(port, host)).as(host).isEqualTo(200);
      }
      assertThat(statusFor(port, "127.0.0.1:" + port)).isEqualTo(200);
      assertThat(statusFor(port, "rebind.example:" + port)).isEqualTo(421);
    } finally {
      s.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--allowed-host=*", "--allowed-host=http://jobs.example.com"})
  void server_with_a_bad_allowed_host_is_a_usage_error_naming_it(String option) {
    Result r = cli("server", "--store=memory", option);

    r.assertUsageError("allowed host");
  }

  @Test
  void server_takes_its_allowed_hosts_from_the_environment_too(@TempDir Path dir) throws Exception {
    try (ChildJvm child =
        ChildJvm.main(Main.class.getName())
            .args("server", "--store=memory", "--port=0")
            .env("TASKFLOW_ALLOWED_HOSTS", "jobs.example.com,ops.example.com")
            .start(dir.resolve("server.log"))) {
      Matcher running =
          child.awaitLine(
              Pattern.compile("running at http://[^:]+:(\\d+)"), Duration.ofSeconds(60));
      int port = Integer.parseInt(running.group(1));

      assertThat(statusFor(port, "ops.example.com")).isEqualTo(200);
      assertThat(statusFor(port, "jobs.example.com:8443")).isEqualTo(200);
      assertThat(statusFor(port, "rebind.example")).isEqualTo(421);
    }
  }

  /** The status of {@code GET /health} sent with the given Host (HttpClient will not set it). */
  private static int statusFor(int port, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void server_with_a_resource_for_a_type_nobody_runs_is_a_usage_error() {
    Result r = cli("server", "--store=memory", "--resource=m=1..5", "--resource-type=x.y=m");

    r.assertUsageError("--resource-type x.y=m", "no worker runs type 'x.y'", "--demo");
  }

  @Test
  void enqueue_at_a_time_with_an_offset_schedules_the_job_then() {
    OffsetDateTime at =
        OffsetDateTime.now(ZoneOffset.ofHours(2)).plusDays(30).truncatedTo(ChronoUnit.SECONDS);

    Result r = server.cli("enqueue", "demo.echo", "--run-at=" + at);

    assertThat(stored(r).scheduledAt()).isEqualTo(at.toInstant());
  }

  @Test
  void enqueue_of_a_held_unique_key_prints_the_live_job_and_says_so() {
    Result first = server.cli("enqueue", "demo.sleep", "--delay=1h", "--unique-key=only-once");
    Result second = server.cli("enqueue", "demo.sleep", "--delay=1h", "--unique-key=only-once");

    assertThat(second.code()).isZero();
    assertThat(stored(second).id()).isEqualTo(stored(first).id());
    assertThat(second.err()).contains("already holds unique key 'only-once'");
  }

  @Test
  void enqueue_that_the_server_refuses_prints_the_reason_and_the_field_and_exits_1() {
    Result r = server.cli("enqueue", "demo.echo", "--priority=500");

    r.assertFailed("(422)", "- priority:", "must be -100..100, was 500", "[range]");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void enqueue_of_an_unknown_type_exits_1_naming_the_type() {
    Result r = server.cli("enqueue", "no.such.type");

    r.assertFailed("- type:", "no.such.type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2]", "{\"unclosed\": ", "42", "null"})
  void enqueue_with_args_that_are_not_a_json_object_is_a_usage_error(String args) {
    Result r = server.cli("enqueue", "demo.echo", args);

    r.assertUsageError("ARGS_JSON", "Try 'taskflow enqueue --help'");
  }

  @Test
  void enqueue_with_both_delay_and_run_at_is_a_usage_error() {
    Result r = server.cli("enqueue", "demo.echo", "--delay=PT5S", "--run-at=2099-01-01T00:00:00Z");

    r.assertUsageError("--delay and --run-at exclude each other");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--delay=soon",
        "--timeout=PT",
        "--run-at=2099-01-01T00:00:00",
        "--priority=high",
        "--url=ftp://example.com",
        "--no-such-option"
      })
  void enqueue_with_a_malformed_option_is_a_usage_error(String option) {
    Result r = server.cli("enqueue", "demo.echo", option);

    r.assertUsageError();
  }

  @Test
  void enqueue_when_no_server_answers_says_so_and_exits_1() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    Result r = cli("enqueue", "demo.echo", "--url=http://127.0.0.1:" + closedPort);

    r.assertFailed("cannot reach TaskFlow at http://127.0.0.1:" + closedPort);
  }

  @Test
  void jobs_prints_a_table_of_jobs_filtered_by_state_and_type() {
    Result enqueued = server.cli("enqueue", "demo.embed", "{\"text\": \"table\"}", "--delay=1h");
    String id = stored(enqueued).id().toString();

    Result r = server.cli("jobs", "--state=scheduled", "--type=demo.embed");

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.getFirst().split("\\s+"))
        .containsExactly("ID", "TYPE", "QUEUE", "STATE", "ATTEMPT", "PROGRESS", "CREATED");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith(id).contains("demo.embed", "scheduled", "0/25"));
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l).contains("demo.embed", "scheduled"));
  }

  @Test
  void jobs_pages_with_a_cursor() {
    for (int i = 0; i < 3; i++) server.cli("enqueue", "demo.echo", "--delay=1h", "--tag=paged");

    Result first = server.cli("jobs", "--tag=paged", "--limit=2");
    String cursor =
        first
            .out()
            .lines()
            .filter(l -> l.startsWith("More:"))
            .findFirst()
            .orElseThrow()
            .split(" ")[4];
    Result second = server.cli("jobs", "--tag=paged", "--limit=2", "--cursor=" + cursor);

    assertThat(first.out().lines().count()).isEqualTo(4); // header, 2 rows, "More:"
    assertThat(second.out().lines().count())
        .as(second.out() + second.err())
        .isEqualTo(2); // header, 1 row
  }

  @Test
  void jobs_as_json_prints_the_page() {
    Result r = server.cli("jobs", "--json", "--limit=1");

    assertThat(r.code()).isZero();
    assertThat(ApiClient.JSON.readTree(r.out()).has("items")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--state=bogus", "--limit=0", "--limit=501", "--limit=many"})
  void jobs_with_a_bad_filter_is_a_usage_error(String option) {
    Result r = server.cli("jobs", option);

    r.assertUsageError();
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "enqueue", "jobs", "resources"})
  void every_command_has_help(String command) {
    Result r = cli(command, "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: taskflow " + command);
  }

  @Test
  void no_command_or_an_unknown_one_is_a_usage_error() {
    assertThat(cli().code()).isEqualTo(2);
    Result r = cli("serve");
    r.assertUsageError("Did you mean", "server");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--store=postgres://x",
        "--store=sqlite:",
        "--queue=default=0",
        "--queue=bad name=2",
        "--queue=default",
        "--port=70000",
        "--lease=PT0S",
        "--webhook-timeout=PT10M",
        "--webhook-timeout=soon"
      })
  void server_with_a_bad_option_is_a_usage_error(String option) {
    Result r = cli("server", "--store=memory", option);

    r.assertUsageError();
  }

  @Test
  void server_on_a_port_in_use_says_so_and_exits_1() {
    Result r = cli("server", "--store=memory", "--port=" + server.port());

    r.assertFailed("cannot listen on 127.0.0.1:" + server.port(), "--port");
  }

  @Test
  void server_banner_shows_the_url_and_a_curl_to_try() {
    assertThat(server.banner())
        .contains(
            "TaskFlow is running at " + server.url(),
            "curl -s -X POST " + server.url() + "/api/v1/jobs",
            "demo.sleep");
  }

  // ------------------------------------------------------------------ helpers

  /** The job an enqueue that succeeded printed, as the server stores it. */
  private static Job stored(Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    UUID id = UUID.fromString(ApiClient.JSON.readTree(r.out()).get("id").asString());
    return server.taskflow().get(id).orElseThrow();
  }
}
