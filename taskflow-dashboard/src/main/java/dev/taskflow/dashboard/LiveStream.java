package dev.taskflow.dashboard;

import dev.taskflow.EventFilter;
import dev.taskflow.StorageException;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlowClient;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open dashboard SSE stream. It sends server-rendered HTML fragments (htmx's SSE extension
 * swaps them in by event name), not raw events: a burst of job events marks the page dirty, and the
 * page is re-rendered at most once per throttle interval, on the request's own virtual thread.
 * Pages whose values age (queue ages, heartbeats, the throughput chart) are also re-rendered every
 * tick. A fragment that did not change is not sent again.
 */
final class LiveStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

  private final ArrayBlockingQueue<Boolean> dirty = new ArrayBlockingQueue<>(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, String> lastSent = new HashMap<>();
  private final Runnable onClose;

  /** When the oldest change not yet rendered arrived (nanoTime); MAX_VALUE when none is. */
  private final AtomicLong unrenderedSince;

  /** What the render in progress must show: changes since this nanoTime (MIN_VALUE: none). */
  private volatile long renderingSince = Long.MIN_VALUE;

  LiveStream(Runnable onClose) {
    this.onClose = onClose;
    // the page was rendered before this stream connected: what changed since must show
    this.unrenderedSince = new AtomicLong(System.nanoTime());
  }

  /**
   * For the render in progress: the time from which it must show every change (a shared query
   * result computed before then would bring back what an event already changed), or {@code
   * Long.MIN_VALUE} when the render is a tick with nothing new.
   */
  long mustShowSince() {
    return renderingSince;
  }

  /**
   * Streams until the client leaves or {@link #close()}.
   *
   * @param filter the events that make the page dirty (null: none, the page only ticks)
   * @param render renders the page's fragments, by SSE event name
   * @param tick how often to re-render without events (null: only ping)
   */
  void run(
      Context ctx,
      TaskFlowClient client,
      EventFilter filter,
      Supplier<Map<String, String>> render,
      Duration throttle,
      Duration tick,
      Duration ping) {
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
    long waitMs = (tick != null ? tick : ping).toMillis();
    long throttleMs = throttle.toMillis();
    Subscription sub = filter == null ? null : client.subscribe(filter, null, e -> markDirty());
    try {
      OutputStream out = res.getOutputStream();
      res.flushBuffer();
      // Whatever changed between the page's render and this connection shows at once.
      long lastRender = System.nanoTime();
      send(out, render);
      long lastWrite = lastRender;
      while (closed.getCount() > 0) {
        boolean changed = dirty.poll(waitMs, TimeUnit.MILLISECONDS) != null;
        if (closed.getCount() == 0) break;
        if (changed) {
          long sinceMs = (System.nanoTime() - lastRender) / 1_000_000;
          // Coalesce a burst: wait out the throttle window; only close() cuts the wait short.
          if (sinceMs < throttleMs && closed.await(throttleMs - sinceMs, TimeUnit.MILLISECONDS)) {
            break;
          }
          dirty.poll();
        }
        if (changed || tick != null) {
          lastRender = System.nanoTime();
          if (send(out, render)) lastWrite = lastRender;
        }
        if ((System.nanoTime() - lastWrite) / 1_000_000 >= ping.toMillis()) {
          out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          lastWrite = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The browser went away (tab closed or navigated).
    } finally {
      if (sub != null) sub.close();
      close();
    }
  }

  /** Renders and writes the fragments that changed; true when something was written. */
  private boolean send(OutputStream out, Supplier<Map<String, String>> render) throws IOException {
    Map<String, String> fragments;
    long since = unrenderedSince.getAndSet(Long.MAX_VALUE);
    renderingSince = since == Long.MAX_VALUE ? Long.MIN_VALUE : since;
    try {
      fragments = render.get();
    } catch (StorageException e) {
      log.warn(
          "taskflow-dashboard: live update skipped, the store is unavailable: {}", e.toString());
      return false;
    }
    StringBuilder frame = new StringBuilder();
    for (Map.Entry<String, String> f : fragments.entrySet()) {
      if (f.getValue().equals(lastSent.get(f.getKey()))) continue;
      lastSent.put(f.getKey(), f.getValue());
      frame.append("event: ").append(f.getKey()).append('\n');
      for (String line : f.getValue().split("\r?\n|\r", -1)) {
        frame.append("data: ").append(line).append('\n');
      }
      frame.append('\n');
    }
    if (frame.isEmpty()) return false;
    out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return true;
  }

  private void markDirty() {
    unrenderedSince.compareAndSet(Long.MAX_VALUE, System.nanoTime());
    dirty.offer(Boolean.TRUE); // full means a render is already pending
  }

  @Override
  public void close() {
    if (closed.getCount() > 0) {
      closed.countDown();
      dirty.offer(Boolean.TRUE);
      onClose.run();
    }
  }
}
