package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rows 1 and 2 of the hostile sweep, as bounds: a filter holds at most 64 types, the server keeps
 * at most {@code maxEventStreams} streams of all kinds, and a resume replay reads at most {@code
 * replayScanLimit} events per request before it hands the client a position to resume from.
 */
class StreamLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private TestServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) c.close();
    if (server != null) server.close();
  }

  @Test
  void row1_a_filter_with_more_than_64_types_is_refused_on_sse_and_websocket() {
    server = TestServer.start();
    String types =
        IntStream.range(0, 65).mapToObj(i -> "type=zz" + i + ".*").collect(Collectors.joining("&"));

    TestServer.Response sse = server.get("/api/v1/events?" + types);

    assertThat(sse.status()).isEqualTo(422);
    assertThat(sse.body()).contains("\"parameter\":\"type\"", "max_items", "at most 64 types");
    WsMessages ws = socket();
    String list =
        IntStream.range(0, 65).mapToObj(i -> "\"zz" + i + ".*\"").collect(Collectors.joining(","));
    ws.send("{\"op\":\"subscribe\",\"id\":\"s\",\"filter\":{\"types\":[" + list + "]}}");
    await().atMost(WAIT).until(() -> !ws.of("error").isEmpty());
    assertThat(ws.of("error").getFirst().path("code").asString()).isEqualTo("max_items");
    assertThat(ws.of("error").getFirst().path("pointer").asString()).isEqualTo("/filter/types");
  }

  @Test
  void row1_streams_of_every_kind_share_one_bound_and_a_closed_one_frees_its_slot()
      throws Exception {
    server = TestServer.start(c -> c.maxEventStreams(2));
    HttpResponse<InputStream> first = server.stream("/api/v1/events", Map.of());
    open.add(first.body());
    WsMessages ws = socket();
    ws.send("{\"op\":\"subscribe\",\"id\":\"a\"}");
    await().atMost(WAIT).until(() -> !ws.of("subscribed").isEmpty());

    TestServer.Response third = server.get("/api/v1/events");
    ws.send("{\"op\":\"subscribe\",\"id\":\"b\"}");
    await().atMost(WAIT).until(() -> !ws.of("error").isEmpty());

    assertThat(third.status()).isEqualTo(503);
    assertThat(third.header("Retry-After")).isEqualTo("5");
    assertThat(third.body()).contains("too-many-streams", "2 event streams");
    assertThat(ws.of("error").getFirst().path("code").asString()).isEqualTo("max_streams");

    ws.send("{\"op\":\"unsubscribe\",\"id\":\"a\"}");
    await().atMost(WAIT).until(() -> !ws.of("unsubscribed").isEmpty());
    ws.send("{\"op\":\"subscribe\",\"id\":\"c\"}");
    await().atMost(WAIT).until(() -> ws.of("subscribed").size() == 2);
  }

  @Test
  void row2_a_replay_reads_a_bounded_part_of_the_log_per_request_and_says_where_to_go_on()
      throws Exception {
    server = TestServer.start(c -> c.replayScanLimit(1)); // one page (1,000 events) per request
    StringBuilder batch = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < 400; i++)
      batch.append(i == 0 ? "" : ",").append("{\"type\":\"demo.echo\"}");
    assertThat(server.post("/api/v1/jobs/batch", batch.append("]}").toString()).status())
        .isEqualTo(201);
    await().atMost(WAIT).until(() -> server.taskflow.cluster().latestEventSeq() >= 1_200);

    // A filter nothing matches: before, the request read the whole log, however long.
    SseReader sse =
        new SseReader(server.stream("/api/v1/events?type=nomatch.x&lastEventId=0", Map.of()));
    open.add(sse);
    await().atMost(WAIT).until(sse::ended);

    assertThat(sse.frames).isEmpty();
    assertThat(sse.comments).anySatisfy(c -> assertThat(c).contains("read 1000 events"));
    assertThat(server.web.openStreams()).isZero();

    WsMessages ws = socket();
    ws.send(
        "{\"op\":\"subscribe\",\"id\":\"s\",\"after\":\"0\",\"filter\":{\"types\":[\"nomatch.x\"]}}");
    await().atMost(WAIT).until(() -> !ws.of("error").isEmpty());
    JsonNode error = ws.of("error").getFirst();
    assertThat(error.path("code").asString()).isEqualTo("replay_limit");
    assertThat(error.path("message").asString()).contains("after=1000");
  }

  @Test
  void row2_the_id_an_sse_replay_stops_at_lets_the_client_resume_from_there() throws Exception {
    server = TestServer.start(c -> c.replayScanLimit(1));
    StringBuilder batch = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < 400; i++)
      batch.append(i == 0 ? "" : ",").append("{\"type\":\"demo.echo\"}");
    server.post("/api/v1/jobs/batch", batch.append("]}").toString());
    await().atMost(WAIT).until(() -> server.taskflow.cluster().latestEventSeq() >= 1_200);

    HttpResponse<InputStream> r =
        server.stream("/api/v1/events?type=job.completed&lastEventId=0", Map.of());
    String body = new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String[] messages = body.split("\n\n");
    String lastMessage = messages[messages.length - 1];

    assertThat(lastMessage).startsWith("id: 1000\n: read 1000 events");
    SseReader next =
        new SseReader(
            server.stream("/api/v1/events?type=job.completed", Map.of("Last-Event-ID", "1000")));
    open.add(next);
    await().atMost(WAIT).until(() -> !next.frames.isEmpty());
    assertThat(Long.parseLong(next.frames.getFirst().id())).isGreaterThan(1000);
  }

  /** A WebSocket client collecting JSON messages. */
  private WsMessages socket() {
    WsMessages m = new WsMessages(server);
    open.add(m);
    return m;
  }
}
