package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/ws} with the JDK's WebSocket client against a real server. */
class WebSocketTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(new InMemoryStorage())
          .pollInterval(Duration.ofMillis(50))
          .eventPollInterval(Duration.ofMillis(20))
          .queue("default", q -> q.concurrency(4))
          .queue("side", q -> q.concurrency(1))
          .worker("demo.echo", JsonNode.class, (a, ctx) -> a)
          .worker(
              "test.chatty",
              Map.class,
              (a, ctx) -> {
                String blob = "x".repeat(60_000);
                for (int i = 0; i < 300; i++) ctx.emit("test.blob", Map.of("i", i, "blob", blob));
                return null;
              })
          .build()
          .start();
  private final TaskFlowWeb web =
      TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build()).start();

  /** A second server on the same TaskFlow with a tiny send buffer, for the slow-consumer test. */
  private TaskFlowWeb tiny;

  private final List<WebSocket> sockets = new ArrayList<>();

  @AfterEach
  void close() {
    sockets.forEach(WebSocket::abort);
    web.stop();
    if (tiny != null) tiny.stop();
    taskflow.close();
  }

  /** Collects text messages; reads only when {@code autoRead}, like a consumer that keeps up. */
  private static final class Client implements WebSocket.Listener {
    final List<JsonNode> messages = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final boolean autoRead;
    private final StringBuilder partial = new StringBuilder();

    Client(boolean autoRead) {
      this.autoRead = autoRead;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(JSON.readTree(partial.toString()));
        partial.setLength(0);
      }
      if (autoRead) ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }

    List<JsonNode> ofOp(String op) {
      synchronized (messages) {
        return messages.stream().filter(m -> m.path("op").asString("").equals(op)).toList();
      }
    }
  }

  private WebSocket connect(Client client, String origin) {
    return connect(client, origin, web);
  }

  private WebSocket connect(Client client, String origin, TaskFlowWeb server) {
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) b.header("Origin", origin);
    WebSocket ws =
        b.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/ws"), client).join();
    sockets.add(ws);
    return ws;
  }

  @Test
  void a_subscription_delivers_a_jobs_events_in_order_and_ping_gets_pong() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    ws.sendText(
            "{\"op\":\"subscribe\",\"id\":\"echoes\",\"filter\":{\"jobType\":\"demo.echo\"}}", true)
        .join();
    await().until(() -> !c.ofOp("subscribed").isEmpty());

    Job job = taskflow.enqueue(new JobRequest("demo.echo", "{\"hi\":1}", null)).job();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                c.ofOp("event").stream()
                    .anyMatch(
                        m -> m.path("event").path("type").asString().equals(JobEvent.COMPLETED)));
    assertThat(c.ofOp("event"))
        .extracting(m -> m.path("event").path("type").asString())
        .containsExactly(JobEvent.ENQUEUED, JobEvent.STARTED, JobEvent.COMPLETED);
    assertThat(c.ofOp("event"))
        .allSatisfy(
            m -> {
              assertThat(m.path("subscription").asString()).isEqualTo("echoes");
              assertThat(m.path("event").path("jobId").asString()).isEqualTo(job.id().toString());
            });

    ws.sendText("{\"op\":\"ping\"}", true).join();
    await().until(() -> !c.ofOp("pong").isEmpty());
  }

  @Test
  void a_client_that_resumes_from_an_event_id_misses_nothing_and_sees_nothing_twice() {
    Client first = new Client(true);
    WebSocket ws1 = connect(first, null);
    ws1.sendText("{\"op\":\"subscribe\",\"id\":\"all\"}", true).join();
    await().until(() -> !first.ofOp("subscribed").isEmpty());
    for (int i = 0; i < 10; i++) taskflow.enqueue(new JobRequest("demo.echo", "{}", null));
    await().atMost(30, TimeUnit.SECONDS).until(() -> first.ofOp("event").size() >= 8);
    ws1.abort();
    List<String> seen =
        new ArrayList<>(
            first.ofOp("event").stream().map(m -> m.path("event").path("id").asString()).toList());
    String resumeFrom = seen.getLast();

    for (int i = 0; i < 10; i++) taskflow.enqueue(new JobRequest("demo.echo", "{}", null));
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> taskflow.cluster().stateCounts().get(JobState.COMPLETED) == 20);
    Client second = new Client(true);
    connect(second, null)
        .sendText("{\"op\":\"subscribe\",\"id\":\"all\",\"after\":\"" + resumeFrom + "\"}", true)
        .join();
    long total = taskflow.events(null, null, 10_000).size();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> seen.size() + second.ofOp("event").size() >= total);

    second.ofOp("event").forEach(m -> seen.add(m.path("event").path("id").asString()));
    List<String> expected = taskflow.events(null, null, 10_000).stream().map(JobEvent::id).toList();
    assertThat(seen).containsExactlyElementsOf(expected);
    // the subscribe message is handled to its end before the ping: a second answer would be here
    pingAndAwaitPong(second, sockets.getLast());
    assertThat(second.ofOp("subscribed"))
        .singleElement()
        .satisfies(m -> assertThat(m.path("id").asString()).isEqualTo("all"));
    assertThat(second.messages.getFirst().path("op").asString()).isEqualTo("subscribed");
  }

  /** Sends a ping and waits for its pong: every message handled before it has been answered. */
  private static void pingAndAwaitPong(Client c, WebSocket ws) {
    int pongs = c.ofOp("pong").size();
    ws.sendText("{\"op\":\"ping\"}", true).join();
    await().until(() -> c.ofOp("pong").size() > pongs);
  }

  private static List<JsonNode> eventsOf(Client c, String subscription) {
    return c.ofOp("event").stream()
        .filter(m -> m.path("subscription").asString().equals(subscription))
        .map(m -> m.path("event"))
        .toList();
  }

  private static boolean completed(Client c, String subscription, Job job) {
    return eventsOf(c, subscription).stream()
        .anyMatch(
            e ->
                e.path("type").asString().equals(JobEvent.COMPLETED)
                    && e.path("jobId").asString().equals(job.id().toString()));
  }

  @Test
  void unsubscribe_stops_the_events_of_that_subscription_only() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"leaving\"}", true).join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"staying\"}", true).join();
    await().until(() -> c.ofOp("subscribed").size() == 2);
    Job first = taskflow.enqueue(new JobRequest("demo.echo", "{}", null)).job();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> completed(c, "leaving", first) && completed(c, "staying", first));

    ws.sendText("{\"op\":\"unsubscribe\",\"id\":\"leaving\"}", true).join();
    await().until(() -> !c.ofOp("unsubscribed").isEmpty());
    assertThat(c.ofOp("unsubscribed").getFirst().path("id").asString()).isEqualTo("leaving");
    Job second = taskflow.enqueue(new JobRequest("demo.echo", "{}", null)).job();
    await().atMost(30, TimeUnit.SECONDS).until(() -> completed(c, "staying", second));
    pingAndAwaitPong(c, ws);

    assertThat(eventsOf(c, "staying"))
        .extracting(e -> e.path("jobId").asString())
        .contains(first.id().toString(), second.id().toString());
    assertThat(eventsOf(c, "leaving"))
        .extracting(e -> e.path("jobId").asString())
        .containsOnly(first.id().toString());
  }

  @Test
  void filters_by_job_id_queue_and_owner_each_deliver_only_matching_events() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    // the job exists before its subscription, which therefore reads from the start of the log
    Job byId = taskflow.enqueue(new JobRequest("demo.echo", "{\"n\":1}", null)).job();
    ws.sendText(
            "{\"op\":\"subscribe\",\"id\":\"job\",\"after\":\"0\",\"filter\":{\"jobId\":\""
                + byId.id()
                + "\"}}",
            true)
        .join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"queue\",\"filter\":{\"queue\":\"side\"}}", true)
        .join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"owner\",\"filter\":{\"owner\":\"alice\"}}", true)
        .join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"all\"}", true).join();
    await().until(() -> c.ofOp("subscribed").size() == 4);

    Job onSide =
        taskflow
            .enqueue(new JobRequest("demo.echo", "{}", EnqueueOptions.defaults().queue("side")))
            .job();
    Job alices =
        taskflow
            .enqueue(new JobRequest("demo.echo", "{}", EnqueueOptions.defaults().owner("alice")))
            .job();
    Job bobsOnSide =
        taskflow
            .enqueue(
                new JobRequest(
                    "demo.echo", "{}", EnqueueOptions.defaults().owner("bob").queue("side")))
            .job();
    Job other = taskflow.enqueue(new JobRequest("demo.echo", "{}", null)).job();
    // the bus hands each event to every subscription in turn: once "all" has seen every job
    // complete, the filtered subscriptions have been offered every event
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                completed(c, "job", byId)
                    && List.of(onSide, alices, bobsOnSide, other).stream()
                        .allMatch(j -> completed(c, "all", j)));
    pingAndAwaitPong(c, ws);

    assertThat(eventsOf(c, "job"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.path("jobId").asString()).isEqualTo(byId.id().toString()));
    assertThat(eventsOf(c, "queue"))
        .allSatisfy(e -> assertThat(e.path("queue").asString()).isEqualTo("side"))
        .extracting(e -> e.path("jobId").asString())
        .containsOnly(onSide.id().toString(), bobsOnSide.id().toString());
    assertThat(eventsOf(c, "owner"))
        .allSatisfy(e -> assertThat(e.path("owner").asString()).isEqualTo("alice"))
        .extracting(e -> e.path("jobId").asString())
        .containsOnly(alices.id().toString());
    assertThat(eventsOf(c, "job"))
        .extracting(e -> e.path("type").asString())
        .containsExactly(JobEvent.ENQUEUED, JobEvent.STARTED, JobEvent.COMPLETED);
    assertThat(c.ofOp("error")).isEmpty();
  }

  @Test
  void a_browser_from_the_same_origin_is_accepted() {
    Client c = new Client(true);
    WebSocket ws = connect(c, "http://127.0.0.1:" + web.port());
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"mine\"}", true).join();
    await().until(() -> !c.ofOp("subscribed").isEmpty());
    pingAndAwaitPong(c, ws);
    assertThat(c.closed).isNotDone();
  }

  @Test
  void a_bad_message_gets_an_error_naming_the_field_and_the_connection_stays_open() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"s\",\"filter\":{\"types\":[1]}}", true).join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"t\",\"filter\":{\"colour\":\"red\"}}", true).join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"u\",\"after\":\"yesterday\"}", true).join();
    ws.sendText("{\"op\":\"dance\"}", true).join();
    ws.sendText("not json", true).join();
    ws.sendText("{\"op\":\"ping\"}", true).join();

    await().until(() -> !c.ofOp("pong").isEmpty());
    assertThat(c.ofOp("error"))
        .extracting(m -> m.path("pointer").asString())
        .containsExactly("/filter/types/0", "/filter/colour", "/after", "/op", "");
    assertThat(c.ofOp("subscribed")).isEmpty();
  }

  @Test
  void row9_every_bad_message_gets_an_error_frame_and_the_connection_stays_open() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    List<String> bad =
        List.of(
            "{\"op\":\"subscribe\",\"id\":\"a\",\"filter\":{\"jobId\":{}}}",
            "{\"op\":\"subscribe\",\"id\":\"b\",\"after\":{}}",
            "{\"op\":\"subscribe\",\"id\":\"c\",\"after\":[]}",
            "{\"op\":\"subscribe\",\"id\":\"d\",\"after\":5}",
            "{\"op\":\"subscribe\",\"id\":\"e\",\"filter\":{\"jobId\":\"1-1-1-1-1\"}}",
            "{\"op\":\"subscribe\",\"id\":\"f\\u0000\"}",
            "{\"op\":\"subscribe\",\"id\":\"\\ud800\"}",
            "{\"op\":\"unsubscribe\",\"id\":{}}",
            "{\"op\":\"subscribe\",\"id\":\"g\",\"after\":\"999999999\"}",
            "{\"op\":\"subscribe\",\"id\":\"h\",\"filter\":{\"queue\":\"\\u0000\"}}",
            "{\"op\":\"subscribe\",\"id\":\"i\",\"extra\":1}",
            "{\"op\":\"unsubscribe\",\"id\":5}");
    for (String m : bad) ws.sendText(m, true).join();
    ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
    ws.sendText("{\"op\":\"ping\"}", true).join();

    await().until(() -> !c.ofOp("pong").isEmpty());
    assertThat(c.ofOp("error"))
        .extracting(m -> m.path("pointer").asString())
        .containsExactly(
            "/filter/jobId",
            "/after",
            "/after",
            "/after",
            "/filter/jobId",
            "/id",
            "/id",
            "/id",
            "/after",
            "/filter/queue",
            "/extra",
            "/id",
            "");
    assertThat(c.ofOp("error").get(8).path("code").asString()).isEqualTo("beyond_log");
    assertThat(c.ofOp("error").get(9).path("code").asString()).isEqualTo("nul_character");
    assertThat(c.ofOp("error").getLast().path("code").asString()).isEqualTo("binary");
    assertThat(c.ofOp("subscribed")).isEmpty();
    assertThat(c.closed).isNotDone();
  }

  @Test
  void a_subscription_id_in_use_is_refused_and_the_first_subscription_stays() {
    Client c = new Client(true);
    WebSocket ws = connect(c, null);
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"s\"}", true).join();
    ws.sendText("{\"op\":\"subscribe\",\"id\":\"s\",\"after\":\"0\"}", true).join();
    ws.sendText("{\"op\":\"ping\"}", true).join();

    await().until(() -> !c.ofOp("pong").isEmpty());
    assertThat(c.ofOp("subscribed")).hasSize(1);
    assertThat(c.ofOp("error"))
        .extracting(m -> m.path("code").asString())
        .containsExactly("duplicate");
  }

  @Test
  void a_browser_from_another_origin_is_refused_before_the_upgrade() {
    Client c = new Client(true);
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    b.header("Origin", "http://evil.example");

    assertThatThrownBy(
            () -> b.buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/api/v1/ws"), c).join())
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
        .satisfies(
            e -> {
              var h = (java.net.http.WebSocketHandshakeException) e.getCause();
              assertThat(h.getResponse().statusCode()).isEqualTo(403);
            });
    assertThat(web.openStreams()).isZero();
  }

  @Test
  void a_consumer_too_slow_to_keep_up_is_closed_with_a_clear_code_and_where_to_resume() {
    tiny =
        TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).sseBufferEvents(16).build())
            .start();
    Client slow = new Client(false); // reads one message, then never asks for more
    WebSocket ws = connect(slow, null, tiny);
    ws.sendText(
            "{\"op\":\"subscribe\",\"id\":\"blobs\",\"filter\":{\"types\":[\"test.blob\"]}}", true)
        .join();
    await().until(() -> tiny.openStreams() == 1);
    taskflow.enqueue(new JobRequest("test.chatty", "{}", null));

    // the server gives up on the connection without waiting for the client...
    await().atMost(30, TimeUnit.SECONDS).until(() -> tiny.openStreams() == 0);
    // ...and when the client reads again, what was sent ends with the close frame and its reason
    ws.request(Long.MAX_VALUE);
    String closed = slow.closed.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(closed).startsWith("1013").contains("too slow").contains("resume with after=");
  }
}
