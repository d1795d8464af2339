package dev.taskflow.web;

import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real TaskFlow on the in-memory store (or another, {@link #on}), served by {@link TaskFlowWeb}
 * on a random port, and an HTTP client for it. Job types: {@code demo.echo} (result = args), {@code
 * test.block} (runs until {@link #releaseBlocked()}), {@code test.fail} (always throws), {@code
 * test.chatty} (emits 300 {@code test.blob} events of 60 KB each).
 */
final class TestServer implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final TaskFlow taskflow;
  final TaskFlowWeb web;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;
  private volatile CountDownLatch gate = new CountDownLatch(1);
  private boolean taskflowClosed;

  private TestServer(Storage storage, Consumer<WebConfig.Builder> webConfig, WebPlugin... plugins) {
    TaskFlowBuilder builder =
        TaskFlow.builder()
            .storage(storage)
            .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
            .worker(
                "test.block",
                JsonNode.class,
                (args, ctx) -> {
                  gate.await();
                  return null;
                })
            .worker(
                "test.fail",
                JsonNode.class,
                (args, ctx) -> {
                  throw new IllegalStateException("test.fail always fails");
                })
            .worker(
                "test.chatty",
                JsonNode.class,
                (args, ctx) -> { // a burst of big events: 300 × 60 KB, more than sockets buffer
                  String blob = "x".repeat(60_000);
                  for (int i = 0; i < 300; i++) {
                    ctx.emit("test.blob", java.util.Map.of("i", i, "blob", blob));
                  }
                  return null;
                })
            .queue("default", q -> q.concurrency(4))
            .queue("side", q -> q.concurrency(1))
            .pollInterval(Duration.ofMillis(50))
            .eventPollInterval(Duration.ofMillis(20))
            .shutdownGrace(Duration.ofMillis(200));
    this.taskflow = builder.build();
    taskflow.start();
    WebConfig.Builder cfg = WebConfig.builder().port(0);
    webConfig.accept(cfg);
    this.web = TaskFlowWeb.create(taskflow, cfg.build(), plugins).start();
    this.base = URI.create("http://127.0.0.1:" + web.port());
  }

  static TestServer start() {
    return start(c -> {});
  }

  static TestServer start(Consumer<WebConfig.Builder> webConfig) {
    return new TestServer(new InMemoryStorage(Clock.systemUTC()), webConfig);
  }

  /** The same server on another store (e.g. one that keeps only the core of the SPI). */
  static TestServer on(Storage storage) {
    return new TestServer(storage, c -> {});
  }

  /** With the routes of {@code plugins} besides the API's. */
  static TestServer start(Consumer<WebConfig.Builder> webConfig, WebPlugin... plugins) {
    return new TestServer(new InMemoryStorage(Clock.systemUTC()), webConfig, plugins);
  }

  /** Lets every running {@code test.block} job finish; later ones block again. */
  void releaseBlocked() {
    CountDownLatch old = gate;
    gate = new CountDownLatch(1);
    old.countDown();
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  Response get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = request(path).GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  Response post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  Response put(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response delete(String path) {
    return send(request(path).DELETE().build());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a streaming response (SSE); the caller closes the body. */
  HttpResponse<InputStream> stream(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET();
    headers.forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Enqueues through the API and returns the job's id. */
  String enqueue(String json) {
    Response r = post("/api/v1/jobs", json);
    if (r.status() != 201) throw new AssertionError("enqueue failed: " + r);
    return r.json().get("id").asString();
  }

  /** Stops TaskFlow and closes its store while the API keeps serving (the store is "down"). */
  void stopTaskFlow() {
    if (!taskflowClosed) {
      taskflowClosed = true;
      releaseBlocked();
      taskflow.close();
    }
  }

  @Override
  public void close() {
    releaseBlocked();
    web.close();
    stopTaskFlow();
  }

  /** A response with its body as text. */
  record Response(int status, Map<String, java.util.List<String>> headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return e.getValue().getFirst();
      }
      return null;
    }

    String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
