package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EventFilter;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One event filter syntax for SSE and the WebSocket: each spelling (the one, {@code type}, and its
 * alias, {@code types}), given to either transport, selects the same events, and a filter one
 * transport refuses the other refuses with the same code.
 */
class EventFilterSyntaxTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private TestServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start();
    for (String queue : List.of("default", "side", "default")) {
      String id = server.enqueue("{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\"}");
      await()
          .atMost(WAIT)
          .until(
              () -> server.get("/api/v1/jobs/" + id).json().get("state").asString(),
              s -> s.equals(JobState.COMPLETED.wireName()));
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) c.close();
    server.close();
  }

  /** The same filter in each transport's shapes: an SSE query and a WebSocket filter object. */
  record Spelling(String query, String wsFilter, EventFilter expected) {}

  private static final List<Spelling> SPELLINGS =
      List.of(
          new Spelling(
              "type=job.completed&queue=default",
              "{\"type\":\"job.completed\",\"queue\":\"default\"}",
              new EventFilter(null, Set.of("job.completed"), null, "default", null)),
          new Spelling(
              "types=job.completed&queue=default",
              "{\"types\":[\"job.completed\"],\"queue\":\"default\"}",
              new EventFilter(null, Set.of("job.completed"), null, "default", null)),
          new Spelling(
              "type=job.completed,job.enqueued&queue=",
              "{\"type\":[\"job.completed,job.enqueued\"],\"queue\":\"\"}",
              new EventFilter(null, Set.of("job.completed", "job.enqueued"), null, null, null)),
          new Spelling(
              "type=job.c*&type=job.started&jobType=demo.echo",
              "{\"types\":\"job.c*,job.started\",\"jobType\":\"demo.echo\"}",
              new EventFilter(null, Set.of("job.c*", "job.started"), "demo.echo", null, null)));

  @Test
  void each_spelling_selects_the_same_events_over_sse_and_websocket() {
    List<JobEvent> log = server.taskflow.events(null, null, 10_000);
    for (Spelling s : SPELLINGS) {
      List<String> expected =
          log.stream().filter(s.expected().matcher()).map(JobEvent::id).toList();
      assertThat(expected).as(s.query()).isNotEmpty();

      SseReader sse =
          new SseReader(server.stream("/api/v1/events?" + s.query() + "&lastEventId=0", Map.of()));
      open.add(sse);
      WsMessages ws = socket();
      ws.send(
          "{\"op\":\"subscribe\",\"id\":\"s\",\"after\":\"0\",\"filter\":" + s.wsFilter() + "}");
      await().atMost(WAIT).until(() -> sse.frames.size() >= expected.size());
      await().atMost(WAIT).until(() -> ws.of("event").size() >= expected.size());

      assertThat(sse.frames).as(s.query()).extracting(SseReader.Frame::id).isEqualTo(expected);
      assertThat(ws.of("event"))
          .as(s.wsFilter())
          .extracting(m -> m.path("event").path("id").asString())
          .isEqualTo(expected);
      assertThat(ws.of("error")).as(s.wsFilter()).isEmpty();
    }
  }

  @Test
  void a_filter_one_transport_refuses_the_other_refuses_with_the_same_code() {
    record Bad(String query, String wsFilter, String param, String pointer, String code) {}
    List<Bad> rows =
        List.of(
            new Bad(
                "type=" + enc("job.\u0001"),
                "{\"type\":\"job.\\u0001\"}",
                "type",
                "/filter/type",
                "control_character"),
            new Bad(
                "types=" + enc("a\u0085"),
                "{\"types\":[\"a\\u0085\"]}",
                "types",
                "/filter/types/0",
                "control_character"),
            new Bad(
                "owner=" + enc("a\u0007b"),
                "{\"owner\":\"a\\u0007b\"}",
                "owner",
                "/filter/owner",
                "control_character"),
            new Bad(
                "jobId=1-1-1-1-1",
                "{\"jobId\":\"1-1-1-1-1\"}",
                "jobId",
                "/filter/jobId",
                "invalid"));
    for (Bad b : rows) {
      TestServer.Response sse = refusal("/api/v1/events?" + b.query());
      WsMessages ws = socket();
      ws.send("{\"op\":\"subscribe\",\"id\":\"s\",\"filter\":" + b.wsFilter() + "}");
      await().atMost(WAIT).until(() -> !ws.of("error").isEmpty() || !ws.of("subscribed").isEmpty());

      assertThat(ws.of("subscribed")).as(b.wsFilter()).isEmpty();
      assertThat(sse.status()).as(b.query()).isEqualTo(422);
      JsonNode sseError = sse.json().get("errors").get(0);
      JsonNode wsError = ws.of("error").getFirst();
      assertThat(sseError.get("parameter").asString()).as(b.query()).isEqualTo(b.param());
      assertThat(sseError.get("code").asString()).as(b.query()).isEqualTo(b.code());
      assertThat(wsError.get("pointer").asString()).as(b.wsFilter()).isEqualTo(b.pointer());
      assertThat(wsError.get("code").asString()).as(b.wsFilter()).isEqualTo(b.code());
      assertThat(wsError.get("message").asString()).isEqualTo(sseError.get("message").asString());
    }
  }

  /** A GET whose answer should be a problem; an accepted stream is cut off, not waited for. */
  private TestServer.Response refusal(String path) {
    java.net.http.HttpResponse<java.io.InputStream> r = server.stream(path, Map.of());
    try (java.io.InputStream body = r.body()) {
      String text =
          r.statusCode() == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
      return new TestServer.Response(r.statusCode(), r.headers().map(), text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private WsMessages socket() {
    WsMessages m = new WsMessages(server);
    open.add(m);
    return m;
  }
}
