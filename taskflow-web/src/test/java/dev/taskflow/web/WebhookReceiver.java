package dev.taskflow.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real webhook receiver on loopback (JDK HttpServer) that records requests and answers as told.
 */
final class WebhookReceiver implements AutoCloseable {
  record Received(String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  record Answer(int status, Map<String, String> headers) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Answer answer = new Answer(200, Map.of());
  private final HttpServer server;

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Map<String, String> h = new java.util.HashMap<>();
          ex.getRequestHeaders()
              .forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
          received.add(new Received(ex.getRequestURI().getPath(), h, body));
          Answer a = answer;
          a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          byte[] out = ("answer " + a.status()).getBytes();
          ex.sendResponseHeaders(a.status(), out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
  }

  void answer(int status, Map<String, String> headers) {
    answer = new Answer(status, headers);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
