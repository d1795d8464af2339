package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.JobEvent;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Server-sent events: replay then live, resume, pings, slow clients and disconnects. */
class SseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(c -> c.pingInterval(Duration.ofMillis(50)).sseBufferEvents(3));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SseReader open(String path) {
    return open(path, Map.of());
  }

  private SseReader open(String path, Map<String, String> headers) {
    HttpResponse<InputStream> r = server.stream(path, headers);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    return new SseReader(r);
  }

  private String state(String id) {
    return server.get("/api/v1/jobs/" + id).json().get("state").asString();
  }

  @Test
  void a_job_stream_replays_its_history_then_follows_it_live_to_the_end() throws Exception {
    String id = server.enqueue("{\"type\": \"test.block\", \"owner\": \"ann\"}");
    await().atMost(WAIT).until(() -> state(id).equals("processing"));

    try (SseReader sse = open("/api/v1/jobs/" + id + "/events")) {
      await().atMost(WAIT).until(() -> sse.types().contains(JobEvent.STARTED));
      assertThat(sse.ended()).isFalse();

      server.releaseBlocked();

      await().atMost(WAIT).until(sse::ended);
      assertThat(sse.types())
          .containsSubsequence(JobEvent.ENQUEUED, JobEvent.STARTED)
          .endsWith(JobEvent.COMPLETED);
      long previous = -1;
      for (SseReader.Frame f : sse.frames) {
        JsonNode data = f.data();
        assertThat(data.get("id").asString()).isEqualTo(f.id());
        assertThat(data.get("type").asString()).isEqualTo(f.event());
        assertThat(data.get("jobId").asString()).isEqualTo(id);
        assertThat(data.get("jobType").asString()).isEqualTo("test.block");
        assertThat(data.get("queue").asString()).isEqualTo("default");
        assertThat(data.get("owner").asString()).isEqualTo("ann");
        assertThat(data.get("time").asString()).endsWith("Z");
        assertThat(data.get("data").isObject()).isTrue();
        long seq = Long.parseLong(f.id().split("\\.")[0]);
        assertThat(seq).as("ids are ordered without repeats").isGreaterThanOrEqualTo(previous);
        if (!f.id().contains(".")) {
          assertThat(seq).isGreaterThan(previous);
          previous = seq;
        }
      }
    }
    await().atMost(WAIT).until(() -> server.web.openStreams() == 0);
  }

  @Test
  void a_finished_job_stream_ends_after_the_replay_and_answers_204_once_nothing_is_left()
      throws Exception {
    String id = server.enqueue("{\"type\": \"demo.echo\"}");
    await().atMost(WAIT).until(() -> state(id).equals("completed"));

    String last;
    try (SseReader sse = open("/api/v1/jobs/" + id + "/events")) {
      await().atMost(WAIT).until(sse::ended);
      assertThat(sse.types()).startsWith(JobEvent.ENQUEUED).endsWith(JobEvent.COMPLETED);
      last = sse.last().id();
    }

    TestServer.Response after =
        server.get("/api/v1/jobs/" + id + "/events", Map.of("Last-Event-ID", last));
    assertThat(after.status()).isEqualTo(204);
  }

  @Test
  void the_events_stream_filters_by_type_and_resumes_after_last_event_id() throws Exception {
    String firstId;
    try (SseReader sse = open("/api/v1/events?type=job.completed&queue=default")) {
      server.enqueue("{\"type\": \"demo.echo\", \"args\": {\"i\": 1}}");
      server.enqueue("{\"type\": \"demo.echo\", \"queue\": \"side\"}");
      server.enqueue("{\"type\": \"demo.echo\", \"args\": {\"i\": 2}}");
      await().atMost(WAIT).until(() -> sse.frames.size() >= 2);
      assertThat(sse.types()).containsOnly(JobEvent.COMPLETED);
      assertThat(sse.frames)
          .allSatisfy(f -> assertThat(f.data().get("queue").asString()).isEqualTo("default"));
      firstId = sse.frames.getFirst().id();
      String secondId = sse.frames.get(1).id();

      try (SseReader resumed =
          open(
              "/api/v1/events?type=job.completed&queue=default",
              Map.of("Last-Event-ID", firstId))) {
        await().atMost(WAIT).until(() -> !resumed.frames.isEmpty());
        assertThat(resumed.frames.getFirst().id()).isEqualTo(secondId);
      }
      try (SseReader byParam =
          open("/api/v1/events?type=job.completed&queue=default&lastEventId=" + firstId)) {
        await().atMost(WAIT).until(() -> !byParam.frames.isEmpty());
        assertThat(byParam.frames.getFirst().id()).isEqualTo(secondId);
      }
    }
  }

  @Test
  void an_idle_stream_gets_a_ping_comment() throws Exception {
    try (SseReader sse = open("/api/v1/events")) {
      await().atMost(WAIT).until(() -> sse.comments.contains("ping"));
      assertThat(sse.frames).isEmpty();
    }
  }

  @Test
  void a_client_that_disconnects_releases_its_stream_and_subscription() throws Exception {
    SseReader sse = open("/api/v1/events");
    await().atMost(WAIT).until(() -> server.web.openStreams() == 1);

    sse.close();

    await().atMost(WAIT).until(() -> server.web.openStreams() == 0);
  }

  @Test
  void a_replay_from_the_start_sends_the_whole_backlog_at_the_clients_pace_then_goes_live()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      String id = server.enqueue("{\"type\": \"demo.echo\"}");
      await().atMost(WAIT).until(() -> state(id).equals("completed"));
    }
    long latest = server.taskflow.cluster().latestEventSeq();

    // The backlog is far more than the 3-event buffer: a replay is written as the client reads,
    // so none of it overflows.
    try (SseReader sse = open("/api/v1/events?lastEventId=0")) {
      await().atMost(WAIT).until(() -> sse.frames.size() >= latest);
      assertThat(sse.frames)
          .extracting(f -> Long.parseLong(f.id()))
          .startsWith(1L, 2L, 3L)
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(sse.ended()).isFalse();

      String more = server.enqueue("{\"type\": \"demo.echo\"}");
      await().atMost(WAIT).until(() -> sse.frames.size() > latest);
      assertThat(Long.parseLong(sse.frames.get((int) latest).id())).isEqualTo(latest + 1);
      assertThat(sse.frames.get((int) latest).data().path("jobId").asString()).isEqualTo(more);
    }
  }

  @Test
  void a_client_that_falls_behind_live_gets_what_was_buffered_then_resumes_without_a_gap()
      throws Exception {
    // A client that reads nothing while a job emits far more than sockets and its buffer hold.
    HttpResponse<InputStream> stalled = server.stream("/api/v1/events?type=test.blob", Map.of());
    await().atMost(WAIT).until(() -> server.web.openStreams() == 1);
    server.enqueue("{\"type\": \"test.chatty\"}");

    await().atMost(Duration.ofSeconds(30)).until(() -> server.web.openStreams() == 0);
    SseReader first = new SseReader(stalled);
    await().atMost(WAIT).until(first::ended);
    assertThat(first.comments).anySatisfy(c -> assertThat(c).contains("Last-Event-ID"));
    assertThat(first.frames).isNotEmpty().hasSizeLessThan(300);
    SseReader.Frame last = first.frames.getLast();

    try (SseReader next =
        open("/api/v1/events?type=test.blob", Map.of("Last-Event-ID", last.id()))) {
      await().atMost(WAIT).until(() -> !next.frames.isEmpty());
      assertThat(next.frames.getFirst().data().path("data").path("i").asInt())
          .isEqualTo(last.data().path("data").path("i").asInt() + 1);
    }
  }

  @Test
  void stopping_the_web_server_ends_open_streams() throws Exception {
    try (SseReader sse = open("/api/v1/events")) {
      await().atMost(WAIT).until(() -> server.web.openStreams() == 1);

      server.web.stop();

      await().atMost(WAIT).until(sse::ended);
      assertThat(server.web.openStreams()).isZero();
    }
  }
}
