package dev.taskflow.web;

import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlowClient;
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
  private static final Set<String> EVENT_PARAMS =
      Set.of("type", "jobType", "queue", "owner", "lastEventId");
  private static final int REPLAY_PAGE = 500;

  private final TaskFlowClient client;
  private final ApiJson json;
  private final WebConfig config;
  private final Set<SseStream> open = ConcurrentHashMap.newKeySet();

  EventRoutes(TaskFlowClient client, ApiJson json, WebConfig config) {
    this.client = client;
    this.json = json;
    this.config = config;
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
    }
  }

  /**
   * {@code GET /events?type=&jobType=&queue=&owner=}: every matching event, live, resuming after
   * {@code Last-Event-ID} (or {@code lastEventId}). {@code type} is an event type, repeatable or
   * comma-separated, with a trailing {@code *} for a prefix ({@code job.*}).
   */
  void all(Context ctx) {
    Params.allowOnly(ctx, EVENT_PARAMS);
    EventFilter filter =
        new EventFilter(
            null,
            Params.many(ctx, "type"),
            Params.single(ctx, "jobType"),
            Params.single(ctx, "queue"),
            Params.single(ctx, "owner"));
    String after = Params.lastEventId(ctx, client);
    try (SseStream stream = open(ctx);
        Subscription ignored = client.subscribe(filter, after, stream::offer)) {
      stream.start();
      stream.pump(false);
    } catch (IOException e) {
      // The client went away before the stream started.
    }
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
