package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rows of the hostile sweep of the running server (the hardening issue), each named after its row:
 * the repro, and that it is now a precise 4xx that changes nothing. Row 5 (CSRF on the JSON API)
 * and the {@code Content-Encoding} part of row 14 are {@link BrowserBoundaryTest}'s.
 */
class HostileSweepTest {
  private final TestServer server = TestServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void row8_heartbeat_numbers_beyond_32_bits_are_422_range_at_their_pointer_not_500() {
    String path = "/api/v1/jobs/" + UUID.randomUUID() + "/heartbeat";
    for (String[] c :
        List.of(
            new String[] {"{\"percent\":4294967346}", "/progress/percent", "range"},
            new String[] {
              "{\"percent\":5,\"step\":2147483648,\"steps\":3}", "/progress/step", "range"
            },
            new String[] {
              "{\"percent\":5,\"steps\":99999999999999999999}", "/progress/steps", "range"
            },
            new String[] {"{\"percent\":-1}", "/progress/percent", "range"},
            new String[] {"{\"percent\":101}", "/progress/percent", "range"},
            new String[] {"{\"percent\":5.5}", "/progress/percent", "integer"},
            new String[] {"{\"percent\":\"5\"}", "/progress/percent", "type"},
            new String[] {"{\"message\":\"no percent\"}", "/progress/percent", "required"},
            new String[] {"{\"percent\":5,\"message\":7}", "/progress/message", "type"},
            new String[] {
              "{\"percent\":5,\"message\":\"" + "y".repeat(1001) + "\"}",
              "/progress/message",
              "length"
            })) {
      TestServer.Response r = server.post(path, "{\"leaseToken\":\"x\",\"progress\":" + c[0] + "}");
      assertThat(r.status()).as(c[0] + " → " + r).isEqualTo(422);
      assertThat(errorAt(r, c[1])).as(c[0] + " → " + r).isEqualTo(c[2]);
      assertThat(r.body()).doesNotContain("Exception", "at dev.");
    }
  }

  @Test
  void a_number_whose_exponent_no_number_can_hold_is_422_number_range_not_500() {
    for (String n : List.of("1e2147483648", "1e-2147483648", "-1e99999999999", "0e99999999999")) {
      TestServer.Response r =
          server.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"args\":{\"n\":" + n + "}}");
      assertThat(r.status()).as(n + " → " + r).isEqualTo(422);
      assertThat(errorAt(r, "/args/n")).as(n).isEqualTo("number_range");
    }
    TestServer.Response nan = server.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"n\":NaN}");
    assertThat(nan.status()).isEqualTo(400);
    assertThat(nan.body()).doesNotContain("JsonReadFeature", "Feature '", "StreamReadConstraints");
    assertThat(server.taskflow.list(dev.taskflow.JobQuery.all()).items()).isEmpty();
  }

  @Test
  void a_page_size_is_ascii_digits() {
    TestServer.Response fullWidth = server.get("/api/v1/jobs?limit=%EF%BC%95");
    assertThat(fullWidth.status()).isEqualTo(422);
    assertThat(fullWidth.body()).contains("\"parameter\":\"limit\"");
  }

  @Test
  void row13_a_heartbeat_refuses_unknown_progress_fields_instead_of_ignoring_them() {
    TestServer.Response r =
        server.post(
            "/api/v1/jobs/" + UUID.randomUUID() + "/heartbeat",
            "{\"leaseToken\":\"x\",\"progress\":{\"percent\":5,\"pct\":9,\"Message\":\"m\"}}");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorAt(r, "/progress/pct")).isEqualTo("unknown_field");
    assertThat(errorAt(r, "/progress/Message")).isEqualTo("unknown_field");
  }

  @Test
  void row8_recurring_intervals_beyond_the_duration_range_are_422_not_500() {
    for (String[] c :
        List.of(
            new String[] {"PT9223372036854775807S", "range"},
            new String[] {"PT-9223372036854775808S", "range"},
            new String[] {"P99999999999999D", "range"},
            new String[] {"P999999999999999D", "format"}, // beyond a Duration: unreadable
            new String[] {"P36501D", "range"})) {
      TestServer.Response r =
          server.put(
              "/api/v1/recurring/x",
              "{\"every\":\"" + c[0] + "\",\"job\":{\"type\":\"demo.echo\"}}");
      assertThat(r.status()).as(c[0] + " → " + r).isEqualTo(422);
      assertThat(errorAt(r, "/every")).as(c[0] + " → " + r).isEqualTo(c[1]);
    }
    assertThat(server.taskflow.recurring().get("x")).isEmpty();
  }

  @Test
  void row11_durations_finer_than_a_millisecond_are_refused_with_precision() {
    TestServer.Response timeout =
        server.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"timeout\":\"PT0.0001S\"}");
    TestServer.Response delay =
        server.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"delay\":\"PT1.0000001S\"}");
    TestServer.Response every =
        server.put(
            "/api/v1/recurring/y", "{\"every\":\"PT1.0005S\",\"job\":{\"type\":\"demo.echo\"}}");
    TestServer.Response whole =
        server.post("/api/v1/jobs", "{\"type\":\"demo.echo\",\"timeout\":\"PT0.001S\"}");

    assertThat(timeout.status()).isEqualTo(422);
    assertThat(errorAt(timeout, "/timeout")).isEqualTo("precision");
    assertThat(errorAt(delay, "/delay")).isEqualTo("precision");
    assertThat(every.status()).isEqualTo(422);
    assertThat(errorAt(every, "/every")).isEqualTo("precision");
    assertThat(server.taskflow.recurring().get("y")).isEmpty();
    assertThat(whole.status()).as("a whole millisecond is fine").isEqualTo(201);
  }

  @Test
  void row6_a_batch_callback_with_a_unique_key_is_refused_instead_of_replaced_by_its_holder() {
    String holder =
        server.enqueue("{\"type\":\"demo.echo\",\"queue\":\"bulk2\",\"uniqueKey\":\"cbk\"}");

    TestServer.Response r =
        server.post(
            "/api/v1/batches",
            "{\"jobs\":[{\"type\":\"demo.echo\"}],"
                + "\"callback\":{\"type\":\"demo.echo\",\"uniqueKey\":\"cbk\"}}");

    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(errorAt(r, "/callback/uniqueKey")).isEqualTo("not_allowed");
    assertThat(server.taskflow.list(dev.taskflow.JobQuery.all()).items())
        .extracting(j -> j.id().toString())
        .containsExactly(holder);
  }

  @Test
  void row10_a_resume_position_beyond_the_log_is_422_beyond_log_not_a_silent_stream() {
    String id = server.enqueue("{\"type\":\"demo.echo\"}");
    org.awaitility.Awaitility.await()
        .until(
            () ->
                server
                    .get("/api/v1/jobs/" + id)
                    .json()
                    .path("state")
                    .asString()
                    .equals("completed"));
    long latest = server.taskflow.cluster().latestEventSeq();
    String beyond = Long.toString(latest + 100_000);

    TestServer.Response all =
        server.get("/api/v1/events", java.util.Map.of("Last-Event-ID", beyond));
    TestServer.Response job = server.get("/api/v1/jobs/" + id + "/events?lastEventId=" + beyond);
    TestServer.Response atTheEnd =
        server.get(
            "/api/v1/jobs/" + id + "/events", java.util.Map.of("Last-Event-ID", "" + latest));

    assertThat(all.status()).as(all.toString()).isEqualTo(422);
    assertThat(all.body()).contains("\"parameter\":\"Last-Event-ID\"", "beyond_log");
    assertThat(job.status()).isEqualTo(422);
    assertThat(job.body()).contains("\"parameter\":\"lastEventId\"", "beyond_log");
    assertThat(atTheEnd.status())
        .as("the newest position itself is fine: the finished job has nothing more, 204")
        .isEqualTo(204);
    assertThat(server.web.openStreams()).isZero();
  }

  @Test
  void row14_options_and_trace_under_the_api_are_405_problems() {
    int port = server.web.port();
    for (String method : List.of("OPTIONS", "TRACE")) {
      for (String path : List.of("/api/v1/jobs", "/api/v1/nope", "/api/v1")) {
        RawHttp.Response r = RawHttp.send(port, method, path, null, "Host: 127.0.0.1:" + port);
        assertThat(r.status()).as(method + " " + path).isEqualTo(405);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("Allow")).isEqualTo("GET, POST, PUT, PATCH, DELETE");
        assertThat(r.body()).contains("method_not_allowed");
      }
    }
  }

  @Test
  void row14_unique_key_and_tag_lengths_count_characters_not_utf16_units() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    TestServer.Response fits =
        server.post(
            "/api/v1/jobs",
            "{\"type\":\"demo.echo\",\"uniqueKey\":\""
                + emoji.repeat(255)
                + "\",\"tags\":[\""
                + emoji.repeat(64)
                + "\"]}");
    TestServer.Response tooLong =
        server.post(
            "/api/v1/jobs", "{\"type\":\"demo.echo\",\"uniqueKey\":\"" + emoji.repeat(256) + "\"}");

    assertThat(fits.status()).as(fits.toString()).isEqualTo(201);
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(errorAt(tooLong, "/uniqueKey")).isEqualTo("length");
  }

  @Test
  void row4_a_list_page_leaves_out_large_values_and_stack_traces_and_says_so() {
    String big = "y".repeat(ApiJson.LIST_MAX_VALUE_CHARS + 1);
    String echo = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"blob\":\"" + big + "\"}}");
    String failed = server.enqueue("{\"type\":\"test.fail\",\"maxAttempts\":1}");
    String small = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":1}}");
    org.awaitility.Awaitility.await()
        .until(
            () ->
                List.of(echo, failed, small).stream()
                    .allMatch(
                        id ->
                            server.get("/api/v1/jobs/" + id).json().path("finishedAt").isString()));

    JsonNode items = server.get("/api/v1/jobs?limit=10").json().path("items");
    JsonNode bigItem = find(items, echo);
    JsonNode failedItem = find(items, failed);
    JsonNode smallItem = find(items, small);

    assertThat(bigItem.path("args").isNull()).isTrue();
    assertThat(bigItem.path("result").isNull()).isTrue();
    assertThat(bigItem.path("truncated").toString()).isEqualTo("[\"args\",\"result\"]");
    assertThat(failedItem.path("errors").get(0).path("stackTrace").isNull()).isTrue();
    assertThat(failedItem.path("errors").get(0).path("message").asString())
        .contains("always fails");
    assertThat(failedItem.path("truncated").toString()).isEqualTo("[\"errors\"]");
    assertThat(smallItem.has("truncated")).isFalse();
    assertThat(smallItem.path("args").path("n").asInt()).isEqualTo(1);

    JsonNode whole = server.get("/api/v1/jobs/" + echo).json();
    assertThat(whole.path("args").path("blob").asString()).isEqualTo(big);
    assertThat(whole.has("truncated")).isFalse();
    assertThat(
            server
                .get("/api/v1/jobs/" + failed)
                .json()
                .path("errors")
                .get(0)
                .path("stackTrace")
                .asString())
        .contains("IllegalStateException");
  }

  private static JsonNode find(JsonNode items, String id) {
    for (JsonNode n : items) if (n.path("id").asString().equals(id)) return n;
    throw new AssertionError("no job " + id + " in " + items);
  }

  /** The code of the error at {@code pointer}, or null when there is none. */
  private static String errorAt(TestServer.Response r, String pointer) {
    for (JsonNode e : r.json().path("errors")) {
      if (e.path("pointer").asString("").equals(pointer)) return e.path("code").asString();
    }
    return null;
  }
}
