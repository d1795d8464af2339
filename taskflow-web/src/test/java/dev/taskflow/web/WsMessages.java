package dev.taskflow.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.JsonNode;

/** A WebSocket client of {@code /api/v1/ws} that keeps every message it receives, parsed. */
final class WsMessages implements WebSocket.Listener, AutoCloseable {
  final List<JsonNode> all = Collections.synchronizedList(new ArrayList<>());
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket ws;

  /** Connects to the server's {@code /api/v1/ws}. */
  WsMessages(TestServer server) {
    this.ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + server.web.port() + "/api/v1/ws"), this)
            .join();
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  /** The messages received so far whose {@code op} is {@code op}. */
  List<JsonNode> of(String op) {
    synchronized (all) {
      return all.stream().filter(m -> m.path("op").asString("").equals(op)).toList();
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      all.add(TestServer.JSON.readTree(partial.toString()));
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public void close() {
    ws.abort();
  }
}
