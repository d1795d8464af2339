package dev.taskflow.web.stream;

import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.Params;
import dev.taskflow.web.StreamLimits;
import dev.taskflow.web.WebConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSE routes. Each event is {@code id:} (its ordered id), {@code event:} (its type) and {@code
 * data:} (the envelope JSON). Checks that can fail (unknown job, bad filter, bad {@code
 * Last-Event-ID}) run before the stream starts, so they still answer with a problem.
 */
final class EventRoutes {
  private static final Set<String> EVENT_PARAMS = eventParams();
  private static final int REPLAY_PAGE = 500;

  private final TaskFlowClient client;
  private final ApiJson json;
  private final WebConfig config;
  private final StreamLimits limits;
  private final Set<SseStream> open = ConcurrentHashMap.newKeySet();

  EventRoutes(TaskFlowClient client, ApiJson json, WebConfig config, StreamLimits limits) {
    this.client = client;
    this.json = json;
    this.config = config;
    this.limits = limits;
  }

  /**
   * {@code GET /jobs/{id}/events}: the job's persisted events (after {@code Last-Event-ID} if
   * given), then live ones with no gap and no duplicate; ends after a terminal event. A job that
   * has finished and has nothing left to send answers 204, which tells an EventSource to stop
   * reconnecting.
   */
  void job(Context ctx) {
    UUID id = Params.jobId(ctx);
    Params.allowOnly(ctx, Set.of("lastEventId"));
    String after = Params.lastEventId(ctx, client);
    Job job = client.get(id).orElseThrow(() -> new JobNotFoundException(id));
    List<JobEvent> first = client.events(id, after, REPLAY_PAGE);
    if (first.isEmpty() && job.state().isFinished()) {
      ctx.status(204);
      return;
    }
    if (!limits.tryOpen()) throw limits.tooManyStreams();
    try (SseStream stream = open(ctx)) {
      stream.start();
      String last = after;
      boolean ended = false;
      List<JobEvent> page = first;
      while (true) {
        for (JobEvent e : page) {
          stream.write(e);
          last = e.id();
          ended = e.isTerminal();
        }
        if (page.size() < REPLAY_PAGE) break;
        page = client.events(id, last, REPLAY_PAGE);
      }
      if (ended) return;
      // "0" is before every event: with nothing replayed, the subscription replays from the start.
      try (Subscription ignored =
          client.subscribe(EventFilter.forJob(id), last == null ? "0" : last, stream::offer)) {
        stream.pump(true);
      }
    } catch (IOException e) {
      // The client went away during the replay.
    } finally {
      limits.closed();
    }
  }

  /**
   * {@code GET /events?type=&jobId=&jobType=&queue=&owner=}: every matching event, live, resuming
   * after {@code Last-Event-ID} (or {@code lastEventId}). The filter is {@link EventFilters}' one
   * syntax, shared with the WebSocket.
   */
  void all(Context ctx) {
    Params.allowOnly(ctx, EVENT_PARAMS);
    EventFilter filter = EventFilters.fromQuery(ctx);
    String after = Params.lastEventId(ctx, client);
    if (!limits.tryOpen()) throw limits.tooManyStreams();
    try (SseStream stream = open(ctx)) {
      stream.start();
      String from = after == null ? null : replay(stream, filter, after);
      if (after != null && from == null) return; // paused with a resume position, or gone
      try (Subscription ignored = client.subscribe(filter, from, stream::offer)) {
        stream.pump(false);
      }
    } catch (IOException e) {
      // The client went away.
    } finally {
      limits.closed();
    }
  }

  /**
   * Sends the stored events after {@code after} that match, reading the log a page at a time with a
   * replay permit (none is held while the client reads). Returns the last id read, from which the
   * live subscription goes on; or null when the replay stopped early: the server was busy, or it
   * read {@link WebConfig#replayScanLimit()} events without catching up. Then the stream ends with
   * that position as its {@code id:}, so the browser's reconnection resumes there.
   */
  private String replay(SseStream stream, EventFilter filter, String after) throws IOException {
    java.util.function.Predicate<JobEvent> matches = filter.matcher();
    String cursor = after;
    long scanned = 0;
    while (true) {
      if (!limits.acquireReplay()) {
        stream.resumeAt(cursor, "the server is busy replaying for other clients; reconnect");
        return null;
      }
      List<JobEvent> page;
      try {
        page = client.events(null, cursor, StreamLimits.PAGE);
      } finally {
        limits.releaseReplay();
      }
      for (JobEvent e : page) {
        if (matches.test(e)) stream.write(e);
        cursor = e.id();
      }
      if (page.size() < StreamLimits.PAGE) return cursor;
      scanned += page.size();
      if (scanned >= limits.scanLimit()) {
        stream.resumeAt(
            cursor, "read " + scanned + " events of the log; reconnect to read on from here");
        return null;
      }
    }
  }

  private static Set<String> eventParams() {
    Set<String> s = new java.util.HashSet<>(EventFilters.FIELDS);
    s.add("lastEventId");
    return Set.copyOf(s);
  }

  /** Streams open now. */
  int openStreams() {
    return open.size();
  }

  /** Ends every open stream (server shutdown). */
  void closeAll() {
    for (SseStream s : List.copyOf(open)) s.close();
  }

  private SseStream open(Context ctx) {
    SseStream[] self = new SseStream[1];
    self[0] = new SseStream(ctx, json, config, () -> open.remove(self[0]));
    open.add(self[0]);
    return self[0];
  }
}
