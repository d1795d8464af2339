package dev.taskflow.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/** Reads an SSE response on a background thread into frames and comments, for assertions. */
final class SseReader implements AutoCloseable {
  /** One event: its {@code id:}, {@code event:} and parsed {@code data:}. */
  record Frame(String id, String event, JsonNode data) {}

  final HttpResponse<InputStream> response;
  final List<Frame> frames = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  private volatile boolean ended;
  private final Thread thread;

  SseReader(HttpResponse<InputStream> response) {
    this.response = response;
    this.thread = Thread.ofVirtual().name("sse-reader").start(this::read);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (event != null || !data.isEmpty()) {
            frames.add(new Frame(id, event, TestServer.JSON.readTree(data.toString())));
          }
          id = null;
          event = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // closed by the test
    } finally {
      ended = true;
    }
  }

  boolean ended() {
    return ended;
  }

  List<String> types() {
    return frames.stream().map(Frame::event).toList();
  }

  Frame last() {
    return frames.getLast();
  }

  @Override
  public void close() throws IOException {
    response.body().close();
    thread.interrupt();
  }
}
