package dev.taskflow.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real webhook receiver on loopback (JDK HttpServer) that records requests and answers as told,
 * or never answers ({@link #hang()}) until told otherwise or closed.
 */
final class WebhookReceiver implements AutoCloseable {
  record Received(String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** A status, headers and a body; a null body answers {@code "answer <status>"}. */
  record Answer(int status, Map<String, String> headers, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Answer answer = new Answer(200, Map.of(), null);
  private volatile CountDownLatch hanging = new CountDownLatch(0);
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer server;

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor); // a hung exchange must not block the next one
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Map<String, String> h = new java.util.HashMap<>();
          ex.getRequestHeaders()
              .forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
          received.add(new Received(ex.getRequestURI().getPath(), h, body));
          try {
            hanging.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          Answer a = answer;
          a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          byte[] out =
              (a.body() == null ? "answer " + a.status() : a.body())
                  .getBytes(StandardCharsets.UTF_8);
          try {
            ex.sendResponseHeaders(a.status(), out.length);
            ex.getResponseBody().write(out);
          } catch (IOException e) {
            // the sender gave up (timeout) and closed the connection
          }
          ex.close();
        });
    server.start();
  }

  void answer(int status, Map<String, String> headers) {
    answer(status, headers, null);
  }

  void answer(int status, Map<String, String> headers, String body) {
    answer = new Answer(status, headers, body);
    hanging.countDown();
  }

  /** From now on, requests are recorded but not answered until the next {@link #answer}. */
  void hang() {
    hanging = new CountDownLatch(1);
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    hanging.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
