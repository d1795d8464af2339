package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.JobState;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every bad input gets its documented status, an {@code application/problem+json} body that names
 * the field at fault, and changes nothing: the job counts per state are the same afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final int MIB = 1024 * 1024;

  private TestServer server;
  private String completedId;
  private String runningId;

  /**
   * One row of the table. {@code path} may hold {@code {completed}} and {@code {running}}: the id
   * of a completed job and of one that is processing. {@code field} is the expected {@code pointer}
   * or {@code parameter}; a trailing {@code *} matches a prefix. {@code code}, when not null, is
   * the rule code the error at {@code field} must carry. {@code bytes}, when not null, is sent as
   * the body instead of {@code body} encoded as UTF-8 (for bodies that are not valid UTF-8).
   */
  record Row(
      String description,
      String method,
      String path,
      Map<String, String> headers,
      String body,
      boolean chunked,
      int status,
      String field,
      String code,
      byte[] bytes) {
    Row(
        String description,
        String method,
        String path,
        Map<String, String> headers,
        String body,
        boolean chunked,
        int status,
        String field,
        String code) {
      this(description, method, path, headers, body, chunked, status, field, code, null);
    }

    Row(
        String description,
        String method,
        String path,
        Map<String, String> headers,
        String body,
        boolean chunked,
        int status,
        String field) {
      this(description, method, path, headers, body, chunked, status, field, null);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  @BeforeAll
  void start_a_server_with_a_completed_and_a_running_job() {
    server = TestServer.start();
    completedId = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":1}}");
    runningId = server.enqueue("{\"type\":\"test.block\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> state(completedId).equals("completed") && state(runningId).equals("processing"));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String state(String id) {
    return server.get("/api/v1/jobs/" + id).json().get("state").asString();
  }

  static Stream<Row> rows() {
    List<Row> rows = new ArrayList<>();
    String jobs = "/api/v1/jobs";
    // ---- the body is not acceptable JSON
    rows.add(
        post(
            "malformed JSON",
            jobs,
            "{\"type\":\"demo.echo\",\"args\":{\"a\":tru}}",
            400,
            "/args/a"));
    rows.add(
        post("trailing content after the object", jobs, "{\"type\":\"demo.echo\"} {}", 400, ""));
    rows.add(post("an empty body", jobs, "", 400, ""));
    rows.add(
        new Row(
            "wrong media type",
            "POST",
            jobs,
            Map.of("Content-Type", "text/plain"),
            "{\"type\":\"demo.echo\"}",
            false,
            415,
            "Content-Type"));
    rows.add(
        new Row(
            "no media type",
            "POST",
            jobs,
            Map.of(),
            "{\"type\":\"demo.echo\"}",
            false,
            415,
            "Content-Type"));
    rows.add(
        new Row(
            "a charset other than UTF-8",
            "POST",
            jobs,
            Map.of("Content-Type", "application/json; charset=ISO-8859-1"),
            "{\"type\":\"demo.echo\"}",
            false,
            415,
            "Content-Type"));
    String huge = "{\"type\":\"demo.echo\",\"args\":{\"s\":\"" + "x".repeat(MIB) + "\"}}";
    rows.add(post("body too large by Content-Length", jobs, huge, 413, ""));
    rows.add(
        new Row(
            "body too large, sent chunked without a length",
            "POST",
            jobs,
            Map.of("Content-Type", "application/json"),
            huge,
            true,
            413,
            ""));
    rows.add(
        post(
            "deep nesting",
            jobs,
            "{\"type\":\"demo.echo\",\"args\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(71),
            422,
            "/args/a*"));
    rows.add(
        post(
            "a 2,000-digit number",
            jobs,
            "{\"type\":\"demo.echo\",\"args\":{\"n\":" + "7".repeat(2000) + "}}",
            422,
            "/args/n"));
    rows.add(
        post(
            "duplicate keys",
            jobs,
            "{\"type\":\"demo.echo\",\"type\":\"demo.echo\"}",
            422,
            "/type"));
    rows.add(
        post("unknown field", jobs, "{\"type\":\"demo.echo\",\"colour\":\"red\"}", 422, "/colour"));
    rows.add(
        post(
            "one of TaskFlow's own job types",
            jobs,
            "{\"type\":\"taskflow.webhook.deliver\",\"args\":{}}",
            422,
            "/type",
            "reserved"));
    rows.add(
        post(
            "one of TaskFlow's own job types in a batch",
            jobs + "/batch",
            "{\"jobs\":[{\"type\":\"demo.echo\"},{\"type\":\"taskflow.x\"}]}",
            422,
            "/jobs/1/type",
            "reserved"));
    rows.add(post("a body that is not an object", jobs, "[1,2]", 422, ""));
    rows.add(
        post(
            "args larger than the args limit",
            jobs,
            "{\"type\":\"demo.echo\",\"args\":{\"s\":\"" + "x".repeat(300 * 1024) + "\"}}",
            422,
            "/args"));
    // ---- fields of a job
    rows.add(post("missing type", jobs, "{\"args\":{}}", 422, "/type"));
    rows.add(post("unknown job type", jobs, "{\"type\":\"no.such.type\"}", 422, "/type"));
    rows.add(
        post("args not an object", jobs, "{\"type\":\"demo.echo\",\"args\":[1]}", 422, "/args"));
    rows.add(post("empty queue name", jobs, job("\"queue\":\"\""), 422, "/queue"));
    rows.add(
        post(
            "overlong queue name",
            jobs,
            job("\"queue\":\"" + "q".repeat(65) + "\""),
            422,
            "/queue"));
    rows.add(post("invalid queue name", jobs, job("\"queue\":\"no spaces!\""), 422, "/queue"));
    rows.add(post("queue not a string", jobs, job("\"queue\":7"), 422, "/queue"));
    rows.add(post("priority above 100", jobs, job("\"priority\":101"), 422, "/priority"));
    rows.add(post("priority below -100", jobs, job("\"priority\":-101"), 422, "/priority"));
    rows.add(post("priority beyond int", jobs, job("\"priority\":99999999999"), 422, "/priority"));
    rows.add(post("fractional priority", jobs, job("\"priority\":1.5"), 422, "/priority"));
    rows.add(post("priority as a string", jobs, job("\"priority\":\"5\""), 422, "/priority"));
    rows.add(post("maxAttempts 0", jobs, job("\"maxAttempts\":0"), 422, "/maxAttempts"));
    rows.add(post("maxAttempts negative", jobs, job("\"maxAttempts\":-3"), 422, "/maxAttempts"));
    rows.add(post("maxAttempts above 100", jobs, job("\"maxAttempts\":101"), 422, "/maxAttempts"));
    rows.add(post("negative delay", jobs, job("\"delay\":\"-PT5S\""), 422, "/delay"));
    rows.add(post("unparseable delay", jobs, job("\"delay\":\"5 minutes\""), 422, "/delay"));
    rows.add(post("unparseable timeout", jobs, job("\"timeout\":\"soon\""), 422, "/timeout"));
    rows.add(
        post(
            "runAt without a zone offset",
            jobs,
            job("\"runAt\":\"2030-01-01T10:00:00\""),
            422,
            "/runAt"));
    rows.add(post("unparseable runAt", jobs, job("\"runAt\":\"tomorrow\""), 422, "/runAt"));
    rows.add(
        post(
            "runAt at the far past end of time",
            jobs,
            job("\"runAt\":\"-999999999-01-01T00:00:00Z\""),
            422,
            "/runAt",
            "range"));
    rows.add(
        post(
            "startWithin shorter than the delay",
            jobs,
            job("\"delay\":\"PT2M\",\"startWithin\":\"PT1M\""),
            422,
            "/startWithin",
            "before_run_at"));
    rows.add(
        post(
            "startWithin ending before runAt",
            jobs,
            job(
                "\"runAt\":\""
                    + Instant.now().plus(Duration.ofDays(1))
                    + "\",\"startWithin\":\"PT1M\""),
            422,
            "/startWithin",
            "before_run_at"));
    rows.add(
        post(
            "runAt more than a year ahead",
            jobs,
            job("\"runAt\":\"" + Instant.now().plus(Duration.ofDays(400)) + "\""),
            422,
            "/runAt"));
    rows.add(
        post(
            "runAt and delay together",
            jobs,
            job("\"runAt\":\"" + Instant.now().plusSeconds(60) + "\",\"delay\":\"PT1M\""),
            422,
            "/delay"));
    rows.add(post("tags holding a number", jobs, job("\"tags\":[\"a\",2]"), 422, "/tags/1"));
    // ---- flow-control fields of a job
    rows.add(post("dependsOn not an array", jobs, job("\"dependsOn\":\"abc\""), 422, "/dependsOn"));
    rows.add(
        post(
            "dependsOn holding a non-id",
            jobs,
            job("\"dependsOn\":[\"nope\"]"),
            422,
            "/dependsOn/0"));
    rows.add(
        post(
            "dependsOn listing a parent twice",
            jobs,
            job(
                "\"dependsOn\":[\"0190f5b2-0000-7000-8000-000000000001\","
                    + "\"0190f5b2-0000-7000-8000-000000000001\"]"),
            422,
            "/dependsOn/1"));
    rows.add(
        post(
            "unknown parent failure policy",
            jobs,
            job(
                "\"dependsOn\":[\"0190f5b2-0000-7000-8000-000000000001\"],\"onParentFailure\":\"retry\""),
            422,
            "/onParentFailure"));
    rows.add(
        post(
            "parent failure policy without parents",
            jobs,
            job("\"onParentFailure\":\"run\""),
            422,
            "/onParentFailure"));
    rows.add(
        post(
            "concurrencyKey not a string",
            jobs,
            job("\"concurrencyKey\":5"),
            422,
            "/concurrencyKey"));
    rows.add(
        post(
            "uniqueFor without a uniqueKey",
            jobs,
            job("\"uniqueFor\":\"PT1H\""),
            422,
            "/uniqueFor",
            "requires_unique_key"));
    rows.add(
        post(
            "unparseable uniqueFor",
            jobs,
            job("\"uniqueKey\":\"k\",\"uniqueFor\":\"an hour\""),
            422,
            "/uniqueFor"));
    rows.add(
        post(
            "startBy in the past",
            jobs,
            job("\"startBy\":\"2020-01-01T00:00:00Z\""),
            422,
            "/startBy"));
    rows.add(
        post(
            "startBy and startWithin together",
            jobs,
            job("\"startBy\":\"" + Instant.now().plusSeconds(600) + "\",\"startWithin\":\"PT1M\""),
            422,
            "/startWithin"));
    rows.add(
        post(
            "zero startWithin",
            jobs,
            job("\"startWithin\":\"PT0S\""),
            422,
            "/startWithin",
            "range"));
    // ---- flow-control ranges the core checks (JobValidator), with their rule codes
    rows.add(
        post(
            "zero uniqueFor",
            jobs,
            job("\"uniqueKey\":\"k\",\"uniqueFor\":\"PT0S\""),
            422,
            "/uniqueFor",
            "range"));
    rows.add(
        post(
            "negative uniqueFor",
            jobs,
            job("\"uniqueKey\":\"k\",\"uniqueFor\":\"-PT1H\""),
            422,
            "/uniqueFor",
            "range"));
    rows.add(
        post(
            "uniqueFor over 365 days",
            jobs,
            job("\"uniqueKey\":\"k\",\"uniqueFor\":\"P366D\""),
            422,
            "/uniqueFor",
            "range"));
    rows.add(
        post(
            "startWithin over 365 days",
            jobs,
            job("\"startWithin\":\"P366D\""),
            422,
            "/startWithin",
            "range"));
    rows.add(
        post(
            "negative startWithin",
            jobs,
            job("\"startWithin\":\"-PT1M\""),
            422,
            "/startWithin",
            "range"));
    rows.add(
        post(
            "concurrencyKey too long",
            jobs,
            job("\"concurrencyKey\":\"" + "c".repeat(256) + "\""),
            422,
            "/concurrencyKey",
            "length"));
    for (String n : List.of("1e400", "-1e400", "1e-400")) {
      rows.add(
          post(
              "a number out of a double's range in args: " + n,
              jobs,
              "{\"type\":\"demo.echo\",\"args\":{\"a\":[" + n + "]}}",
              422,
              "/args/a/0",
              "number_range"));
    }
    rows.add(
        post(
            "a lone surrogate escape in args",
            jobs,
            job("\"args\":{\"s\":\"a\\ud800b\"}"),
            400,
            "/args/s",
            "lone_surrogate"));
    rows.add(
        post(
            "a lone low surrogate escape in a key",
            jobs,
            job("\"args\":{\"\\udc00\":1}"),
            400,
            "/args"));
    rows.add(bytes("overlong UTF-8 in args", jobs, 0xC0, 0xAF, "/args/s"));
    rows.add(bytes("a code point above U+10FFFF in args", jobs, 0xF4, 0x90, "/args/s"));
    rows.add(bytes("an encoded surrogate in args", jobs, 0xED, 0xA0, "/args/s"));
    rows.add(post("NUL in a string field", jobs, job("\"owner\":\"a\\u0000b\""), 422, "/owner"));
    rows.add(
        post(
            "NUL inside args",
            jobs,
            "{\"type\":\"demo.echo\",\"args\":{\"t\":\"x\\u0000\"}}",
            422,
            "/args/t"));
    // ---- batches are atomic and name the job at fault
    rows.add(
        post(
            "batch with one bad priority",
            jobs + "/batch",
            "{\"jobs\":[{\"type\":\"demo.echo\"},{\"type\":\"demo.echo\",\"priority\":500}]}",
            422,
            "/jobs/1/priority"));
    rows.add(
        post(
            "batch with a fractional priority",
            jobs + "/batch",
            "{\"jobs\":[{\"type\":\"demo.echo\"},{\"type\":\"demo.echo\",\"priority\":0.5}]}",
            422,
            "/jobs/1/priority"));
    rows.add(post("batch without jobs", jobs + "/batch", "{\"job\":[]}", 422, "/job"));
    rows.add(post("batch with an empty list", jobs + "/batch", "{\"jobs\":[]}", 422, "/jobs"));
    // ---- listing
    rows.add(get("limit huge", jobs + "?limit=100000", 422, "limit"));
    rows.add(get("limit negative", jobs + "?limit=-1", 422, "limit"));
    rows.add(get("limit not a number", jobs + "?limit=ten", 422, "limit"));
    rows.add(get("a bad cursor", jobs + "?cursor=not-a-cursor", 422, "cursor"));
    rows.add(get("a bad state", jobs + "?state=running", 422, "state"));
    rows.add(get("an unknown query parameter", jobs + "?stat=failed", 422, "stat"));
    // ---- ids and state changes
    rows.add(get("unknown id", jobs + "/" + UUID.randomUUID(), 404, "id"));
    rows.add(get("malformed id", jobs + "/not-a-uuid", 404, "id"));
    rows.add(
        post(
            "cancel of an unknown id",
            jobs + "/" + UUID.randomUUID() + "/cancel",
            null,
            404,
            "id"));
    rows.add(del("delete of an unknown id", jobs + "/" + UUID.randomUUID(), 404, "id"));
    rows.add(post("cancel of a completed job", jobs + "/{completed}/cancel", null, 409, "id"));
    rows.add(post("retry of a completed job", jobs + "/{completed}/retry", null, 409, "id"));
    rows.add(post("retry of a running job", jobs + "/{running}/retry", null, 409, "id"));
    rows.add(
        post(
            "retry with a priority out of range",
            jobs + "/{completed}/retry",
            "{\"priority\":101}",
            422,
            "/priority",
            "range"));
    rows.add(
        post(
            "retry with a priority that is not a number",
            jobs + "/{completed}/retry",
            "{\"priority\":\"high\"}",
            422,
            "/priority",
            "type"));
    rows.add(
        post(
            "retry with a fractional priority",
            jobs + "/{completed}/retry",
            "{\"priority\":1.5}",
            422,
            "/priority",
            "integer"));
    rows.add(
        post(
            "retry with an unknown body field",
            jobs + "/{completed}/retry",
            "{\"prio\":1}",
            422,
            "/prio",
            "unknown_field"));
    rows.add(
        post(
            "retry with a body that is not an object",
            jobs + "/{completed}/retry",
            "[5]",
            422,
            "",
            "type"));
    rows.add(
        get("events of an unknown job", jobs + "/" + UUID.randomUUID() + "/events", 404, "id"));
    // ---- queue settings (backpressure)
    String queueSettings = "/api/v1/queues/bounded";
    rows.add(patch("negative maxDepth", queueSettings, "{\"maxDepth\":-1}", 422, "/maxDepth"));
    rows.add(
        patch(
            "maxDepth past the largest",
            queueSettings,
            "{\"maxDepth\":1000000001}",
            422,
            "/maxDepth"));
    rows.add(
        patch(
            "maxDepth past an int", queueSettings, "{\"maxDepth\":99999999999}", 422, "/maxDepth"));
    rows.add(patch("fractional maxDepth", queueSettings, "{\"maxDepth\":2.5}", 422, "/maxDepth"));
    rows.add(
        patch("maxDepth as a string", queueSettings, "{\"maxDepth\":\"10\"}", 422, "/maxDepth"));
    rows.add(
        patch("unknown queue setting", queueSettings, "{\"concurrency\":3}", 422, "/concurrency"));
    rows.add(patch("queue settings not an object", queueSettings, "[1]", 422, ""));
    rows.add(patch("queue settings not JSON", queueSettings, "{maxDepth:", 400, "*"));
    rows.add(
        patch(
            "queue name with a space",
            "/api/v1/queues/bad%20name",
            "{\"maxDepth\":1}",
            422,
            "name"));
    rows.add(get("resources with a parameter", "/api/v1/resources?x=1", 422, "x"));

    // ---- limits
    String limits = "/api/v1/limits";
    String mutex = limits + "/a-mutex";
    rows.add(
        put("limit name with a space", limits + "/bad%20name", "{\"maxRunning\":1}", 422, "name"));
    rows.add(
        put(
            "limit name too long",
            limits + "/" + "n".repeat(65),
            "{\"maxRunning\":1}",
            422,
            "name"));
    rows.add(
        put(
            "limit body name differs",
            mutex,
            "{\"name\":\"other\",\"maxRunning\":1}",
            422,
            "/name"));
    rows.add(
        put(
            "limit without maxRunning or rate",
            mutex,
            "{\"type\":\"demo.echo\"}",
            422,
            "/maxRunning"));
    rows.add(put("limit maxRunning zero", mutex, "{\"maxRunning\":0}", 422, "/maxRunning"));
    rows.add(
        put("limit maxRunning too large", mutex, "{\"maxRunning\":1000001}", 422, "/maxRunning"));
    rows.add(
        put("limit maxRunning not a number", mutex, "{\"maxRunning\":\"2\"}", 422, "/maxRunning"));
    rows.add(put("limit maxRunning a fraction", mutex, "{\"maxRunning\":1.5}", 422, "/maxRunning"));
    rows.add(
        put("limit rateCount without ratePeriod", mutex, "{\"rateCount\":5}", 422, "/ratePeriod"));
    rows.add(
        put(
            "limit ratePeriod without rateCount",
            mutex,
            "{\"ratePeriod\":\"PT1M\"}",
            422,
            "/rateCount"));
    rows.add(
        put(
            "limit rateCount zero",
            mutex,
            "{\"rateCount\":0,\"ratePeriod\":\"PT1M\"}",
            422,
            "/rateCount"));
    rows.add(
        put(
            "limit ratePeriod under a second",
            mutex,
            "{\"rateCount\":5,\"ratePeriod\":\"PT0.5S\"}",
            422,
            "/ratePeriod"));
    rows.add(
        put(
            "limit ratePeriod over a day",
            mutex,
            "{\"rateCount\":5,\"ratePeriod\":\"P2D\"}",
            422,
            "/ratePeriod"));
    rows.add(
        put(
            "limit ratePeriod not a duration",
            mutex,
            "{\"rateCount\":5,\"ratePeriod\":\"1 minute\"}",
            422,
            "/ratePeriod"));
    rows.add(
        put(
            "limit ratePeriod in fractions of a millisecond",
            mutex,
            "{\"rateCount\":5,\"ratePeriod\":\"PT1.0005S\"}",
            422,
            "/ratePeriod"));
    rows.add(
        put(
            "limit scope unknown",
            mutex,
            "{\"scope\":\"tenant\",\"maxRunning\":1}",
            422,
            "/scope"));
    rows.add(
        put("limit type with a space", mutex, "{\"type\":\"a b\",\"maxRunning\":1}", 422, "/type"));
    rows.add(put("limit queue empty", mutex, "{\"queue\":\"\",\"maxRunning\":1}", 422, "/queue"));
    rows.add(
        put("limit queue not a string", mutex, "{\"queue\":7,\"maxRunning\":1}", 422, "/queue"));
    rows.add(put("limit unknown field", mutex, "{\"max\":1}", 422, "/max"));
    rows.add(put("limit body not an object", mutex, "[1]", 422, ""));
    rows.add(put("limit body not JSON", mutex, "{maxRunning:1}", 400, "*"));
    rows.add(get("unknown limit", limits + "/nobody", 404, "name"));
    rows.add(del("delete of an unknown limit", limits + "/nobody", 404, "name"));
    rows.add(get("limit list with a query parameter", limits + "?limit=5", 422, "limit"));
    // ---- recurring schedules
    String sched = "/api/v1/recurring/nightly";
    String job = "\"job\":{\"type\":\"demo.echo\"}";
    rows.add(
        put(
            "recurring cron with a minute of 61",
            sched,
            "{\"cron\":\"61 * * * *\"," + job + "}",
            422,
            "/cron"));
    rows.add(
        put(
            "recurring cron with seven fields",
            sched,
            "{\"cron\":\"* * * * * * *\"," + job + "}",
            422,
            "/cron"));
    rows.add(put("recurring cron not a string", sched, "{\"cron\":5," + job + "}", 422, "/cron"));
    rows.add(put("recurring without cron or every", sched, "{" + job + "}", 422, "/cron"));
    rows.add(
        put(
            "recurring with cron and every",
            sched,
            "{\"cron\":\"* * * * *\",\"every\":\"PT1M\"," + job + "}",
            422,
            "/every"));
    rows.add(
        put(
            "recurring every not a duration",
            sched,
            "{\"every\":\"5 minutes\"," + job + "}",
            422,
            "/every"));
    rows.add(
        put(
            "recurring every more frequent than the minimum",
            sched,
            "{\"every\":\"PT0.5S\"," + job + "}",
            422,
            "/every"));
    rows.add(
        put(
            "recurring unknown zone",
            sched,
            "{\"cron\":\"0 3 * * *\",\"zone\":\"Mars/Olympus\"," + job + "}",
            422,
            "/zone"));
    rows.add(
        put(
            "recurring zone not a string",
            sched,
            "{\"cron\":\"0 3 * * *\",\"zone\":1," + job + "}",
            422,
            "/zone"));
    rows.add(
        put(
            "recurring unknown misfire policy",
            sched,
            "{\"cron\":\"0 3 * * *\",\"misfire\":\"sometimes\"," + job + "}",
            422,
            "/misfire"));
    rows.add(
        put(
            "recurring unknown overlap policy",
            sched,
            "{\"cron\":\"0 3 * * *\",\"overlap\":\"never\"," + job + "}",
            422,
            "/overlap"));
    rows.add(
        put(
            "recurring misfireLimit zero",
            sched,
            "{\"cron\":\"0 3 * * *\",\"misfire\":\"run_all\",\"misfireLimit\":0," + job + "}",
            422,
            "/misfireLimit"));
    rows.add(
        put(
            "recurring misfireLimit not a number",
            sched,
            "{\"cron\":\"0 3 * * *\",\"misfireLimit\":\"5\"," + job + "}",
            422,
            "/misfireLimit"));
    rows.add(
        put(
            "recurring maxRuns zero",
            sched,
            "{\"cron\":\"0 3 * * *\",\"maxRuns\":0," + job + "}",
            422,
            "/maxRuns"));
    rows.add(
        put(
            "recurring endAt in the past",
            sched,
            "{\"cron\":\"0 3 * * *\",\"endAt\":\"2001-01-01T00:00:00Z\"," + job + "}",
            422,
            "/endAt"));
    rows.add(
        put(
            "recurring endAt without an offset",
            sched,
            "{\"cron\":\"0 3 * * *\",\"endAt\":\"2031-01-01T00:00:00\"," + job + "}",
            422,
            "/endAt"));
    rows.add(
        put(
            "recurring paused not a boolean",
            sched,
            "{\"cron\":\"0 3 * * *\",\"paused\":\"yes\"," + job + "}",
            422,
            "/paused"));
    rows.add(put("recurring without a job", sched, "{\"cron\":\"0 3 * * *\"}", 422, "/job"));
    rows.add(
        put(
            "recurring maxRuns beyond a 64-bit integer",
            sched,
            "{\"cron\":\"0 3 * * *\",\"maxRuns\":99999999999999999999," + job + "}",
            422,
            "/maxRuns",
            "range"));
    rows.add(
        put(
            "recurring endAt before the first fire",
            sched,
            "{\"cron\":\"0 3 29 2 *\",\"endAt\":\""
                + Instant.now().plus(Duration.ofDays(1))
                + "\","
                + job
                + "}",
            422,
            "/endAt",
            "never_fires"));
    rows.add(
        put(
            "recurring job with a start deadline",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"startWithin\":\"PT1M\"}}",
            422,
            "/job/startWithin",
            "not_allowed"));
    rows.add(
        put(
            "recurring job with a concurrency key",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"concurrencyKey\":\"k\"}}",
            422,
            "/job/concurrencyKey",
            "not_allowed"));
    rows.add(
        put(
            "recurring job of an unknown type",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"no.such\"}}",
            422,
            "/job/type"));
    rows.add(
        put(
            "recurring job with a unique key",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"uniqueKey\":\"k\"}}",
            422,
            "/job/uniqueKey"));
    rows.add(
        put(
            "recurring job with runAt",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"runAt\":\"2031-01-01T00:00:00Z\"}}",
            422,
            "/job/runAt"));
    rows.add(
        put(
            "recurring job priority out of range",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"priority\":101}}",
            422,
            "/job/priority"));
    rows.add(
        put(
            "recurring job args not an object",
            sched,
            "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"demo.echo\",\"args\":[1]}}",
            422,
            "/job/args"));
    rows.add(
        put(
            "recurring unknown field",
            sched,
            "{\"cron\":\"0 3 * * *\",\"when\":1," + job + "}",
            422,
            "/when"));
    rows.add(
        put(
            "recurring id with a space",
            "/api/v1/recurring/bad%20id",
            "{\"cron\":\"0 3 * * *\"," + job + "}",
            422,
            "id"));
    rows.add(
        put(
            "recurring id too long",
            "/api/v1/recurring/" + "r".repeat(51),
            "{\"cron\":\"0 3 * * *\"," + job + "}",
            422,
            "id"));
    rows.add(put("recurring body not an object", sched, "[1]", 422, ""));
    rows.add(put("recurring body not JSON", sched, "{cron:1}", 400, "*"));
    rows.add(get("unknown recurring schedule", "/api/v1/recurring/nobody", 404, "id"));
    rows.add(del("delete of an unknown recurring schedule", "/api/v1/recurring/nobody", 404, "id"));
    rows.add(
        post(
            "pause of an unknown recurring schedule",
            "/api/v1/recurring/nobody/pause",
            null,
            404,
            "id"));
    rows.add(
        post(
            "resume of an unknown recurring schedule",
            "/api/v1/recurring/nobody/resume",
            null,
            404,
            "id"));
    rows.add(
        post(
            "trigger of an unknown recurring schedule",
            "/api/v1/recurring/nobody/trigger",
            null,
            404,
            "id"));
    rows.add(get("recurring list limit zero", "/api/v1/recurring?limit=0", 422, "limit"));
    rows.add(get("recurring list unknown parameter", "/api/v1/recurring?state=x", 422, "state"));
    // ---- other routes
    // ---- dependencies and batches
    String batches = "/api/v1/batches";
    String echo = "{\"type\":\"demo.echo\"}";
    rows.add(
        post(
            "unknown parent",
            jobs,
            job("\"dependsOn\":[\"0190f5b2-0000-7000-8000-0000000000ff\"]"),
            422,
            "/dependsOn/0"));
    rows.add(
        post(
            "unknown parent in a batch",
            "/api/v1/jobs/batch",
            "{\"jobs\":["
                + echo
                + ","
                + job("\"dependsOn\":[\"0190f5b2-0000-7000-8000-0000000000ff\"]")
                + "]}",
            422,
            "/jobs/1/dependsOn/0"));
    rows.add(
        post(
            "a batch member listing an earlier member twice",
            batches,
            "{\"jobs\":[" + echo + "," + job("\"dependsOn\":[0,0]") + "]}",
            422,
            "/jobs/1/dependsOn/1",
            "duplicate"));
    rows.add(
        post(
            "a batch member index that is a fraction",
            batches,
            "{\"jobs\":[" + echo + "," + job("\"dependsOn\":[0.5]") + "]}",
            422,
            "/jobs/1/dependsOn/0",
            "integer"));
    rows.add(post("batch body not an object", batches, "[1]", 422, ""));
    rows.add(post("batch unknown field", batches, "{\"jobs\":[" + echo + "],\"x\":1}", 422, "/x"));
    rows.add(post("batch without jobs", batches, "{}", 422, "/jobs"));
    rows.add(post("batch jobs not an array", batches, "{\"jobs\":{}}", 422, "/jobs"));
    rows.add(post("batch with no jobs", batches, "{\"jobs\":[]}", 422, "/jobs"));
    rows.add(
        post(
            "batch job with a bad priority",
            batches,
            "{\"jobs\":[" + job("\"priority\":500") + "]}",
            422,
            "/jobs/0/priority"));
    rows.add(
        post(
            "batch member depending on a later member",
            batches,
            "{\"jobs\":[" + job("\"dependsOn\":[1]") + "," + echo + "]}",
            422,
            "/jobs/0/dependsOn/0"));
    rows.add(
        post(
            "batch member index out of range",
            batches,
            "{\"jobs\":[" + echo + "," + job("\"dependsOn\":[7]") + "]}",
            422,
            "/jobs/1/dependsOn/0"));
    rows.add(
        post(
            "batch member index not an integer",
            batches,
            "{\"jobs\":[" + echo + "," + job("\"dependsOn\":[0.5]") + "]}",
            422,
            "/jobs/1/dependsOn/0"));
    rows.add(
        post(
            "batch member with an unknown parent",
            batches,
            "{\"jobs\":["
                + echo
                + ","
                + job("\"dependsOn\":[0,\"0190f5b2-0000-7000-8000-0000000000ff\"]")
                + "]}",
            422,
            "/jobs/1/dependsOn/1"));
    rows.add(
        post(
            "batch callback of an unknown type",
            batches,
            "{\"jobs\":[" + echo + "],\"callback\":{\"type\":\"demo.nope\"}}",
            422,
            "/callback/type"));
    rows.add(
        post(
            "batch callback with dependsOn",
            batches,
            "{\"jobs\":["
                + echo
                + "],\"callback\":"
                + job("\"dependsOn\":[\"0190f5b2-0000-7000-8000-0000000000ff\"]")
                + "}",
            422,
            "/callback/dependsOn"));
    rows.add(
        post(
            "batch description not a string",
            batches,
            "{\"jobs\":[" + echo + "],\"description\":5}",
            422,
            "/description"));
    rows.add(
        post(
            "batch description too long",
            batches,
            "{\"jobs\":[" + echo + "],\"description\":\"" + "d".repeat(1001) + "\"}",
            422,
            "/description"));
    rows.add(
        post(
            "batch metadata not an object",
            batches,
            "{\"jobs\":[" + echo + "],\"metadata\":[1]}",
            422,
            "/metadata"));
    rows.add(get("unknown batch", batches + "/0190f5b2-0000-7000-8000-000000000001", 404, "id"));
    rows.add(get("malformed batch id", batches + "/nope", 404, "id"));
    rows.add(get("unknown route", "/api/v1/nothing/here", 404, "path"));
    rows.add(
        post(
            "pause of an invalid queue name",
            "/api/v1/queues/bad%20name/pause",
            null,
            422,
            "name"));
    for (String id : List.of("1.-1", "+5", "1.+2")) {
      rows.add(
          new Row(
              "a Last-Event-ID with a sign: " + id,
              "GET",
              "/api/v1/events",
              Map.of("Last-Event-ID", id),
              null,
              false,
              422,
              "Last-Event-ID",
              "format"));
    }
    rows.add(
        post(
            "a lease for a job type no job can have",
            "/api/v1/workers/lease",
            "{\"workerId\":\"w1\",\"types\":[\"demo.echo\",\"bad type!\"]}",
            422,
            "/types/1",
            "pattern"));
    rows.add(
        new Row(
            "a malformed Last-Event-ID",
            "GET",
            "/api/v1/events",
            Map.of("Last-Event-ID", "abc"),
            null,
            false,
            422,
            "Last-Event-ID"));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void a_bad_request_gets_a_problem_naming_the_field_and_changes_nothing(Row row) {
    Map<JobState, Long> before = server.taskflow.cluster().stateCounts();

    TestServer.Response r = server.send(request(row));

    assertThat(r.status()).as("status of %s: %s", row.description(), r).isEqualTo(row.status());
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode problem = r.json();
    assertThat(problem.get("status").asInt()).isEqualTo(row.status());
    assertThat(problem.get("type").asString()).startsWith(Problem.TYPE_PREFIX);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    assertThat(problem.toString()).doesNotContain("\tat ", "Exception:");
    List<String> named = new ArrayList<>();
    List<String> namedWithCode = new ArrayList<>();
    for (JsonNode e : problem.get("errors")) {
      String name = e.has("pointer") ? e.get("pointer").asString() : e.get("parameter").asString();
      named.add(name);
      namedWithCode.add(name + " " + e.get("code").asString());
      assertThat(e.get("code").asString()).isNotBlank();
      assertThat(e.get("message").asString()).isNotBlank();
    }
    if (row.code() != null) {
      assertThat(namedWithCode).as("errors of %s", r).contains(row.field() + " " + row.code());
    }
    if (row.field().endsWith("*")) {
      String prefix = row.field().substring(0, row.field().length() - 1);
      assertThat(named).as("errors of %s", r).anySatisfy(n -> assertThat(n).startsWith(prefix));
    } else {
      assertThat(named).as("errors of %s", r).contains(row.field());
    }
    assertThat(r.body().length()).as("the problem stays short").isLessThan(8 * 1024);

    assertThat(server.taskflow.cluster().stateCounts()).isEqualTo(before);
    assertThat(state(completedId)).isEqualTo("completed");
    assertThat(state(runningId)).isEqualTo("processing");
  }

  private HttpRequest request(Row row) {
    String path = row.path().replace("{completed}", completedId).replace("{running}", runningId);
    HttpRequest.Builder b = server.request(path);
    row.headers().forEach(b::header);
    HttpRequest.BodyPublisher body;
    if (row.bytes() != null) {
      body = HttpRequest.BodyPublishers.ofByteArray(row.bytes());
    } else if (row.body() == null) {
      body = HttpRequest.BodyPublishers.noBody();
    } else if (row.chunked()) {
      byte[] bytes = TestServer.utf8(row.body());
      body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    } else {
      body = HttpRequest.BodyPublishers.ofString(row.body());
    }
    return b.method(
            row.method(), row.method().equals("GET") ? HttpRequest.BodyPublishers.noBody() : body)
        .build();
  }

  private static String job(String fields) {
    return "{\"type\":\"demo.echo\"," + fields + "}";
  }

  private static Row post(String description, String path, String body, int status, String field) {
    Map<String, String> headers =
        body == null ? Map.of() : Map.of("Content-Type", "application/json");
    return new Row(description, "POST", path, headers, body, false, status, field);
  }

  private static Row post(
      String description, String path, String body, int status, String field, String code) {
    Map<String, String> headers =
        body == null ? Map.of() : Map.of("Content-Type", "application/json");
    return new Row(description, "POST", path, headers, body, false, status, field, code);
  }

  /** A job whose args.s string holds two raw bytes {@code b1 b2} (and two 0x80 after them). */
  private static Row bytes(String description, String path, int b1, int b2, String field) {
    byte[] head = TestServer.utf8("{\"type\":\"demo.echo\",\"args\":{\"s\":\"x");
    byte[] tail = TestServer.utf8("y\"}}");
    byte[] body = new byte[head.length + 4 + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = (byte) b1;
    body[head.length + 1] = (byte) b2;
    body[head.length + 2] = (byte) 0x80;
    body[head.length + 3] = (byte) 0x80;
    System.arraycopy(tail, 0, body, head.length + 4, tail.length);
    return new Row(
        description,
        "POST",
        path,
        Map.of("Content-Type", "application/json"),
        null,
        false,
        400,
        field,
        "invalid_utf8",
        body);
  }

  private static Row put(
      String description, String path, String body, int status, String field, String code) {
    return new Row(
        description,
        "PUT",
        path,
        Map.of("Content-Type", "application/json"),
        body,
        false,
        status,
        field,
        code);
  }

  private static Row put(String description, String path, String body, int status, String field) {
    return new Row(
        description,
        "PUT",
        path,
        Map.of("Content-Type", "application/json"),
        body,
        false,
        status,
        field);
  }

  private static Row patch(String description, String path, String body, int status, String field) {
    return new Row(
        description,
        "PATCH",
        path,
        Map.of("Content-Type", "application/json"),
        body,
        false,
        status,
        field);
  }

  private static Row get(String description, String path, int status, String field) {
    return new Row(description, "GET", path, Map.of(), null, false, status, field);
  }

  private static Row del(String description, String path, int status, String field) {
    return new Row(description, "DELETE", path, Map.of(), null, false, status, field);
  }
}
