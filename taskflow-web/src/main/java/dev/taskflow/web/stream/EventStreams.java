package dev.taskflow.web.stream;

import static io.javalin.http.HandlerType.GET;

import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebPlugin;
import dev.taskflow.web.WebPluginContext;
import io.javalin.websocket.WsHandlerType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event streams of API v1: SSE ({@code GET /jobs/{id}/events}, {@code GET /events}) and the
 * WebSocket ({@code /ws}), mounted by {@code TaskFlowWeb}. Both share the server's {@code
 * StreamLimits}; their open streams count in {@code TaskFlowWeb.openStreams()} and end when the
 * server stops.
 */
public final class EventStreams implements WebPlugin {
  private final List<EventRoutes> sse = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "event streams";
  }

  @Override
  public void mount(WebPluginContext r) {
    EventRoutes events = new EventRoutes(r.client(), r.json(), r.config(), r.streamLimits());
    WsRoutes ws =
        new WsRoutes(
            r.client(),
            r.json(),
            r.bodies(),
            r.config().sseBufferEvents(),
            r.config().pingInterval().toMillis(),
            r.streamLimits());
    sse.add(events);
    r.onStop(events::closeAll);
    r.onStop(ws::closeAll);
    r.openStreams(events::openStreams);
    r.openStreams(ws::openConnections);

    // method  path                  handler
    r.api(GET, "/jobs/{id}/events", events::job);
    r.api(GET, "/events", events::all);
    r.routes().addWsHandler(WsHandlerType.WEBSOCKET, TaskFlowWeb.API + "/ws", ws::configure);
  }

  /** SSE streams open now (for {@code /metrics}). */
  public int sseStreams() {
    return sse.stream().mapToInt(EventRoutes::openStreams).sum();
  }
}
