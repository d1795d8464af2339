package dev.taskflow.web.stream;

import dev.taskflow.JobEvent;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.WebConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open {@code text/event-stream} response. Events arrive on TaskFlow's dispatch thread through
 * {@link #offer(JobEvent)}, which never blocks: it appends to a bounded per-connection buffer. The
 * request's own (virtual) thread writes them out in {@link #pump(boolean)}, with a {@code : ping}
 * comment whenever the stream has been idle for the ping interval. A client too slow to keep the
 * buffer below its bound gets what was buffered, then the stream ends; it resumes with {@code
 * Last-Event-ID} and misses nothing.
 */
final class SseStream implements AutoCloseable {
  /** Wakes the writer: the stream was closed or the buffer overflowed. */
  private static final Object WAKE = new Object();

  private final HttpServletResponse res;
  private final ApiJson json;
  private final long pingMillis;
  private final int capacity;
  private final Runnable onClose;
  private final LinkedBlockingQueue<Object> buffer = new LinkedBlockingQueue<>();
  private volatile boolean overflowed;
  private volatile boolean closed;
  private OutputStream out;
  private long lastPersistedSeq = -1;

  /** A stream that buffers offered events; nothing is sent before {@link #start()}. */
  SseStream(Context ctx, ApiJson json, WebConfig config, Runnable onClose) {
    this.res = ctx.res();
    this.json = json;
    this.pingMillis = config.pingInterval().toMillis();
    this.capacity = config.sseBufferEvents();
    this.onClose = onClose;
  }

  /** Commits the response headers; call once nothing can fail with a problem any more. */
  void start() throws IOException {
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
    out = res.getOutputStream();
    res.flushBuffer();
  }

  /** Called on the dispatch thread: buffers the event, or marks the stream overflowed. */
  void offer(JobEvent event) {
    if (closed || overflowed) return;
    if (buffer.size() >= capacity) {
      overflowed = true;
      buffer.offer(WAKE);
      return;
    }
    buffer.offer(event);
  }

  /**
   * Writes buffered events until the stream is closed, the client goes away, the buffer overflowed
   * (after writing what it held), or, with {@code untilTerminal}, a terminal event was written.
   */
  void pump(boolean untilTerminal) {
    try {
      while (!closed) {
        Object item = buffer.poll(pingMillis, TimeUnit.MILLISECONDS);
        if (item == null) {
          comment("ping");
        } else if (item instanceof JobEvent e) {
          write(e);
          if (untilTerminal && e.isTerminal()) return;
        }
        if (overflowed) {
          drainAfterOverflow(untilTerminal);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | UncheckedIOException e) {
      // The client went away; the caller closes the subscription.
    }
  }

  private void drainAfterOverflow(boolean untilTerminal) throws IOException {
    Object item;
    while ((item = buffer.poll()) != null) {
      if (item instanceof JobEvent e) {
        write(e);
        if (untilTerminal && e.isTerminal()) return;
      }
    }
    comment("too many events buffered for this client; reconnect with Last-Event-ID");
  }

  /** Writes one event now, on the caller's thread (used for the replay before going live). */
  void write(JobEvent e) throws IOException {
    boolean persisted = e.id().indexOf('.') < 0;
    if (persisted) {
      long seq = e.seq();
      if (seq <= lastPersistedSeq) return; // already sent (replay and live overlapped)
      lastPersistedSeq = seq;
    }
    String frame =
        "id: "
            + oneLine(e.id())
            + "\nevent: "
            + oneLine(e.type())
            + "\ndata: "
            + json.write(json.event(e))
            + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * Ends a replay early: a message with only an {@code id:} sets the browser's Last-Event-ID
   * without dispatching an event, so its automatic reconnection resumes at {@code id}.
   */
  void resumeAt(String id, String why) throws IOException {
    out.write(
        ("id: " + oneLine(id) + "\n: " + oneLine(why) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  void comment(String text) throws IOException {
    out.write((": " + oneLine(text) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends the stream from another thread (server shutdown). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      buffer.offer(WAKE);
      onClose.run();
    }
  }

  private static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
