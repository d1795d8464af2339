package dev.taskflow.web.stream;

import dev.taskflow.EventFilter;
import dev.taskflow.JobEvent;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.StreamLimits;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/ws}: the event stream over WebSocket, with several subscriptions per connection.
 *
 * <p>Client messages (JSON text): {@code {"op":"subscribe","id":"s1","filter":{type, jobId,
 * jobType, queue, owner},"after":"1234"}} (the filter is {@link EventFilters}' syntax, as SSE's;
 * {@code types} is an alias of {@code type}), {@code {"op":"unsubscribe","id":"s1"}}, {@code
 * {"op":"ping"}}. Server messages: {@code subscribed}, {@code unsubscribed}, {@code pong}, {@code
 * {"op":"event","subscription":"s1","event":{envelope}}} and {@code {"op":"error","code","message",
 * "pointer"}} (the connection stays open after an error).
 *
 * <p>Each connection has a bounded send buffer. A consumer too slow to keep up is closed with code
 * {@value #CLOSE_TOO_SLOW} (try again later) and a reason naming the last event id it was sent, so
 * it can resume with {@code after}. A handshake from a browser page of another origin never gets
 * here: {@link BrowserGuard} refuses it with 403 before the upgrade.
 */
final class WsRoutes {
  private static final Logger log = LoggerFactory.getLogger(WsRoutes.class);
  static final int CLOSE_TOO_SLOW = 1013;
  static final int MAX_SUBSCRIPTIONS = 100;

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;
  private final int bufferEvents;
  private final long pingMillis;
  private final StreamLimits limits;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  WsRoutes(
      TaskFlowClient client,
      ApiJson json,
      RequestBodies bodies,
      int bufferEvents,
      long pingMillis,
      StreamLimits limits) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
    this.bufferEvents = bufferEvents;
    this.pingMillis = pingMillis;
    this.limits = limits;
  }

  void configure(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          ctx.enableAutomaticPings(pingMillis, TimeUnit.MILLISECONDS);
          connections.put(ctx.sessionId(), new Connection(ctx));
        });
    ws.onMessage(
        ctx -> {
          Connection c = connections.get(ctx.sessionId());
          if (c != null) c.handle(ctx.message());
        });
    ws.onBinaryMessage(
        ctx -> {
          Connection c = connections.get(ctx.sessionId());
          if (c != null) c.binary();
        });
    ws.onClose(ctx -> close(ctx.sessionId()));
    ws.onError(ctx -> close(ctx.sessionId()));
  }

  /** Open WebSocket connections. */
  int openConnections() {
    return connections.size();
  }

  /** Closes every connection (server shutdown). */
  void closeAll() {
    for (String id : connections.keySet()) close(id);
  }

  private void close(String sessionId) {
    Connection c = connections.remove(sessionId);
    if (c != null) c.stop();
  }

  /** One WebSocket connection: its subscriptions, its bounded buffer and its writer thread. */
  private final class Connection {
    private final WsContext ctx;
    private final Map<String, Subscription> subs = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<String> outbox = new ArrayBlockingQueue<>(bufferEvents);
    private final Thread writer;
    private volatile boolean open = true;
    private volatile String lastSentId;

    Connection(WsContext ctx) {
      this.ctx = ctx;
      this.writer = Thread.ofVirtual().name("taskflow-ws-" + ctx.sessionId()).start(this::write);
    }

    /** Answers one text message; whatever goes wrong, the answer is an error and it stays open. */
    void handle(String text) {
      try {
        dispatch(text);
      } catch (RuntimeException e) {
        log.warn("taskflow-web: WebSocket {} message failed", ctx.sessionId(), e);
        error("internal", "", "the server could not handle this message; see its log");
      }
    }

    /** A binary frame: this protocol is JSON text. */
    void binary() {
      error("binary", "", "binary frames are not read: send each message as a JSON text frame");
    }

    private void dispatch(String text) {
      JsonNode msg;
      try { // the HTTP API's own reading: the same limits, codes and messages
        msg = bodies.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (Problem p) {
        FieldError e = p.errors().isEmpty() ? null : p.errors().getFirst();
        if (e == null) {
          error("malformed", "", "not JSON: " + p.detail());
        } else {
          error(
              e.code().equals("malformed_json") ? "malformed" : e.code(),
              e.pointer() == null ? "" : e.pointer(),
              e.code().equals("malformed_json") ? "not JSON: " + e.message() : e.message());
        }
        return;
      }
      String op = msg.path("op").isString() ? msg.path("op").asString() : null;
      if (op == null) {
        error("required", "/op", "op is required: subscribe, unsubscribe or ping");
        return;
      }
      switch (op) {
        case "subscribe" -> subscribe(msg);
        case "unsubscribe" -> unsubscribe(msg);
        case "ping" -> enqueue(reply("pong", null));
        default ->
            error(
                "unknown_op",
                "/op",
                "unknown op '"
                    + ProblemMapper.shorten(op)
                    + "'; use subscribe, unsubscribe or ping");
      }
    }

    /** Refuses a message with a field its op does not take (one error, naming the first). */
    private boolean onlyFields(JsonNode msg, Set<String> allowed) {
      for (String name : msg.propertyNames()) {
        if (!allowed.contains(name)) {
          error(
              "unknown_field",
              "/" + name,
              "unknown field '" + ProblemMapper.shorten(name) + "'; this op takes " + allowed);
          return false;
        }
      }
      return true;
    }

    private void subscribe(JsonNode msg) {
      if (!onlyFields(msg, Set.of("op", "id", "filter", "after"))) return;
      String id = msg.path("id").isString() ? msg.path("id").asString() : null;
      if (id == null || id.isEmpty() || id.length() > 64) {
        error("required", "/id", "a subscription needs an id of 1..64 characters");
        return;
      }
      if (!EventFilters.printable(id)) {
        error(
            "invalid",
            "/id",
            "a subscription id holds no control characters and no unpaired surrogates");
        return;
      }
      if (subs.containsKey(id)) {
        error(
            "duplicate",
            "/id",
            "subscription '" + ProblemMapper.shorten(id) + "' exists; unsubscribe it first");
        return;
      }
      if (subs.size() >= MAX_SUBSCRIPTIONS) {
        error("max_items", "/id", "at most " + MAX_SUBSCRIPTIONS + " subscriptions per connection");
        return;
      }
      EventFilter filter;
      String after = null;
      try {
        filter = filter(msg.path("filter"));
        if (msg.hasNonNull("after")) {
          JsonNode a = msg.get("after");
          if (!a.isString()) {
            throw new BadField("/after", "after must be an event id as a string, e.g. \"1234\"");
          }
          after = a.asString();
          String beyond = Params.beyondLog(JobEvent.parseSeq(after), client);
          if (beyond != null) throw new BadField("/after", "beyond_log", beyond);
        }
      } catch (Problem p) { // a filter rule, worded as for SSE
        FieldError e = p.errors().getFirst();
        error(e.code(), e.pointer(), e.message());
        return;
      } catch (IllegalArgumentException e) {
        BadField b = e instanceof BadField f ? f : new BadField("/after", e.getMessage());
        error(b.code, b.pointer, b.getMessage());
        return;
      }
      if (!limits.tryOpen()) {
        error(
            "max_streams",
            "/id",
            "this server has "
                + limits.max()
                + " event streams open, its limit: unsubscribe some, or try again later");
        return;
      }
      boolean kept = false;
      try {
        if (after == null) {
          // Live only: register with the bus before answering, so nothing after "subscribed" is
          // missed; the gate holds what arrives in between so the answer comes first.
          Gate gate = new Gate(id, false);
          subs.put(id, client.subscribe(filter, null, gate::accept));
          kept = true;
          gate.release();
        } else {
          // Resume: answer, replay the backlog from the log at the pace the client reads (on
          // this connection's thread, a page at a time), then attach live from the last event.
          enqueue(reply("subscribed", id));
          String last = replay(id, filter, after);
          if (last == null) return; // closed, busy, or read the scan limit: said so already
          Gate gate = new Gate(id, true);
          subs.put(id, client.subscribe(filter, last, gate::accept));
          kept = true;
          gate.release();
        }
        if (!open) drop(id); // the connection closed meanwhile
      } finally {
        if (!kept) limits.closed();
      }
    }

    /** Removes a subscription and gives back its stream slot (once, whoever removes it). */
    private void drop(String id) {
      Subscription s = subs.remove(id);
      if (s != null) {
        s.close();
        limits.closed();
      }
    }

    /**
     * Sends the persisted events after {@code after} that match, reading a page at a time with a
     * replay permit; returns the last id read, or null when the connection closed, the server
     * stayed busy, or {@link WebConfig#replayScanLimit()} events were read without catching up (an
     * error then says where to resume).
     */
    private String replay(String id, EventFilter filter, String after) {
      java.util.function.Predicate<JobEvent> matches = filter.matcher();
      String cursor = after;
      long scanned = 0;
      while (open) {
        if (!limits.acquireReplay()) {
          error(
              "busy",
              "/after",
              "the server is busy replaying; subscribe again with after=" + cursor);
          return null;
        }
        java.util.List<JobEvent> page;
        try {
          page = client.events(filter.jobId(), cursor, StreamLimits.PAGE);
        } finally {
          limits.releaseReplay();
        }
        for (JobEvent e : page) {
          if (matches.test(e) && !put(eventMessage(id, e))) return null;
          cursor = e.id();
        }
        if (page.size() < StreamLimits.PAGE) return cursor;
        scanned += page.size();
        if (scanned >= limits.scanLimit()) {
          error(
              "replay_limit",
              "/after",
              "subscription '"
                  + ProblemMapper.shorten(id)
                  + "' read "
                  + scanned
                  + " events without catching up; subscribe again with after="
                  + cursor);
          return null;
        }
      }
      return null;
    }

    private void unsubscribe(JsonNode msg) {
      if (!onlyFields(msg, Set.of("op", "id"))) return;
      if (!msg.path("id").isString()) {
        error("required", "/id", "unsubscribe needs the subscription's id, a string");
        return;
      }
      String id = msg.path("id").asString();
      if (!subs.containsKey(id)) {
        error("not_found", "/id", "no subscription '" + ProblemMapper.shorten(id) + "'");
        return;
      }
      drop(id);
      enqueue(reply("unsubscribed", id));
    }

    /**
     * The subscription's filter: the JSON shapes are checked here (a string, or for {@code type} an
     * array of strings), every rule by {@link EventFilters}, as for SSE.
     */
    private EventFilter filter(JsonNode f) {
      if (f.isMissingNode() || f.isNull()) return EventFilter.ALL;
      if (!f.isObject()) throw new BadField("/filter", "filter must be an object");
      List<EventFilters.Given> fields = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : f.properties()) {
        String name = e.getKey();
        String at = FieldError.child("/filter", name);
        JsonNode v = e.getValue();
        List<EventFilters.Value> values = new ArrayList<>();
        boolean list = name.equals(EventFilters.TYPE) || name.equals(EventFilters.TYPE_ALIAS);
        if (v.isNull()) {
          continue;
        } else if (v.isString()) {
          values.add(new EventFilters.Value(v.asString(), at));
        } else if (list && v.isArray()) {
          for (int i = 0; i < v.size(); i++) {
            String ai = FieldError.child(at, i);
            if (!v.get(i).isString()) throw new BadField(ai, "must be a string");
            values.add(new EventFilters.Value(v.get(i).asString(), ai));
          }
        } else if (EventFilters.FIELDS.contains(name)) {
          throw new BadField(
              at, name + " must be a string" + (list ? " or an array of strings" : ""));
        }
        fields.add(new EventFilters.Given(name, at, values));
      }
      return EventFilters.parse(fields, EventFilters.Where.POINTER);
    }

    /** Holds a new subscription's events until its "subscribed" answer is queued. */
    private final class Gate {
      private final String id;
      private final java.util.concurrent.locks.ReentrantLock lock =
          new java.util.concurrent.locks.ReentrantLock();
      private java.util.List<JobEvent> held = new java.util.ArrayList<>();
      private final boolean answered;

      /**
       * @param answered whether "subscribed" was sent already (a resume answers before replaying)
       */
      Gate(String id, boolean answered) {
        this.id = id;
        this.answered = answered;
      }

      void accept(JobEvent e) {
        lock.lock();
        try {
          if (held != null) {
            held.add(e);
            return;
          }
        } finally {
          lock.unlock();
        }
        deliver(id, e);
      }

      /** Queues the "subscribed" answer (unless already sent), then what was held, then opens. */
      void release() {
        lock.lock();
        try {
          if (!subs.containsKey(id) || !open) return;
          if (!answered) put(replyNode("subscribed", id));
          for (JobEvent e : held) {
            if (!put(eventMessage(id, e))) return;
          }
          held = null;
        } finally {
          lock.unlock();
        }
      }
    }

    /** Called on TaskFlow's dispatch thread: never blocks. */
    private void deliver(String subscription, JobEvent e) {
      String m = eventMessage(subscription, e);
      if (!outbox.offer(m) && open) {
        open = false;
        String reason =
            "too slow: the send buffer of "
                + bufferEvents
                + " events overflowed; resume with after="
                + (lastSentId == null ? "0" : lastSentId);
        log.info("taskflow-web: closing WebSocket {}: {}", ctx.sessionId(), reason);
        close(ctx.sessionId());
        // not on this (dispatch) thread: sending the close frame may wait for the slow peer
        String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
        Thread.ofVirtual().start(() -> ctx.closeSession(CLOSE_TOO_SLOW, r));
      }
    }

    private String eventMessage(String subscription, JobEvent e) {
      ObjectNode m = reply("event", null);
      m.put("subscription", subscription);
      m.set("event", json.event(e));
      return json.write(m);
    }

    private String replyNode(String op, String id) {
      return json.write(reply(op, id));
    }

    /**
     * Queues a message from this connection's own thread, waiting for room (a replay goes at the
     * client's pace); a client that reads nothing for 30 s is closed as too slow.
     */
    private boolean put(String message) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      try {
        while (open) { // a connection closed meanwhile gives its slots back at once
          if (outbox.offer(message, 200, TimeUnit.MILLISECONDS)) return true;
          if (System.nanoTime() - deadline > 0) break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (!open) return false;
      close(ctx.sessionId());
      String reason =
          "too slow: read nothing for 30 s; resume with after="
              + (lastSentId == null ? "0" : lastSentId);
      Thread.ofVirtual().start(() -> ctx.closeSession(CLOSE_TOO_SLOW, reason));
      return false;
    }

    /** Queues an answer (on the connection's own thread: it may wait for room, like a replay). */
    private void enqueue(ObjectNode message) {
      put(json.write(message));
    }

    private void error(String code, String pointer, String message) {
      ObjectNode m = reply("error", null);
      m.put("code", code);
      m.put("pointer", pointer);
      m.put("message", message);
      enqueue(m);
    }

    private ObjectNode reply(String op, String id) {
      ObjectNode m = json.object();
      m.put("op", op);
      if (id != null) m.put("id", id);
      return m;
    }

    private void write() {
      try {
        while (open || !outbox.isEmpty()) {
          String m = outbox.poll(200, TimeUnit.MILLISECONDS);
          if (m == null) continue;
          // Wait until the frame is written: Jetty would otherwise queue frames for a peer that
          // stopped reading without bound. Blocked here, the writer lets the outbox fill, and the
          // dispatcher then closes the connection as too slow.
          java.util.concurrent.CompletableFuture<Void> written =
              new java.util.concurrent.CompletableFuture<>();
          ctx.session.sendText(
              m,
              org.eclipse.jetty.websocket.api.Callback.from(
                  () -> written.complete(null), written::completeExceptionally));
          written.get();
          int at = m.indexOf("\"event\":{\"id\":\"");
          if (at >= 0) lastSentId = m.substring(at + 15, m.indexOf('"', at + 15));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
        log.debug("taskflow-web: WebSocket {} write failed: {}", ctx.sessionId(), e.toString());
      }
    }

    void stop() {
      open = false;
      for (String id : java.util.List.copyOf(subs.keySet())) drop(id);
      writer.interrupt();
    }
  }

  /** A bad field in a subscribe message. */
  private static final class BadField extends IllegalArgumentException {
    final String pointer;
    final String code;

    BadField(String pointer, String message) {
      this(pointer, "invalid", message);
    }

    BadField(String pointer, String code, String message) {
      super(message);
      this.pointer = pointer;
      this.code = code;
    }
  }
}
