package dev.taskflow.webhooks;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;

import dev.taskflow.FlowLimit;
import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobQuery;
import dev.taskflow.Page;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.Webhook;
import dev.taskflow.WebhookNotFoundException;
import dev.taskflow.Webhooks;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebPluginContext;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/webhooks}: register, list, read, change, delete, rotate the secret, send a test
 * event, and list deliveries. Every URL passes {@link WebhookUrlGuard} (422 with the rule's code).
 */
final class WebhookRoutes {
  static final int MAX_HEADERS = 10;
  static final int MAX_HEADER_VALUE = 1024;
  static final int MAX_EVENTS = 50;
  static final int MAX_QUEUE_NAME = 64;
  static final int MAX_TYPE_NAME = 128;
  static final Set<String> BUILT_IN =
      Set.of(
          JobEvent.ENQUEUED,
          JobEvent.SCHEDULED,
          JobEvent.STARTED,
          JobEvent.PROGRESS,
          JobEvent.COMPLETED,
          JobEvent.RETRYING,
          JobEvent.FAILED,
          JobEvent.CANCELLED,
          JobEvent.DELETED,
          JobEvent.LOG,
          JobEvent.AWAITING,
          JobEvent.BATCH_COMPLETED,
          JobEvent.BATCH_FAILED);
  private static final Set<String> FORBIDDEN_HEADERS =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "user-agent",
          "proxy-authorization",
          "proxy-connection");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+");
  private static final Pattern EVENT_PREFIX = Pattern.compile("([a-z][a-z0-9_-]*\\.)+\\*");
  private static final Set<String> FIELDS =
      Set.of("url", "events", "queue", "jobType", "owner", "headers", "active");

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;
  private final WebhookUrlGuard guard;

  /**
   * @param guard the delivery's own guard: one policy for registration and delivery
   */
  WebhookRoutes(TaskFlowClient client, ApiJson json, RequestBodies bodies, WebhookUrlGuard guard) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
    this.guard = guard;
  }

  void register(WebPluginContext r) {
    // method  path                                handler
    r.api(POST, "/webhooks", this::create);
    r.api(GET, "/webhooks", this::list);
    r.api(GET, "/webhooks/{id}", this::get);
    r.api(PATCH, "/webhooks/{id}", this::patch);
    r.api(DELETE, "/webhooks/{id}", this::delete);
    r.api(POST, "/webhooks/{id}/rotate-secret", this::rotateSecret);
    r.api(POST, "/webhooks/{id}/test", this::test);
    r.api(GET, "/webhooks/{id}/deliveries", this::deliveries);
  }

  void create(Context ctx) {
    Webhooks hooks = hooks();
    Body b = body(ctx);
    String url = b.url(true);
    List<String> events = b.events(true);
    Map<String, String> headers = b.headers();
    String queue = b.name("queue", MAX_QUEUE_NAME);
    String jobType = b.name("jobType", MAX_TYPE_NAME);
    String owner = b.owner();
    Boolean active = b.bool("active");
    b.throwIfAny();
    Webhook w = hooks.create(url, events, queue, jobType, owner, headers);
    if (Boolean.FALSE.equals(active)) w = hooks.update(copy(w, w.url(), false));
    ObjectNode out = webhook(w);
    out.put("secret", w.secrets().getFirst());
    ctx.header("Location", TaskFlowWeb.API + "/webhooks/" + w.id());
    json.send(ctx, 201, out);
  }

  void list(Context ctx) {
    Params.allowOnly(ctx, Set.of("limit", "cursor"));
    int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
    UUID after = uuidParam(ctx, "cursor");
    Page<Webhook> page = hooks().list(after, limit);
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("items");
    page.items().forEach(w -> items.add(webhook(w)));
    out.put("nextCursor", page.nextCursor());
    json.send(ctx, 200, out);
  }

  void get(Context ctx) {
    json.send(ctx, 200, webhook(require(ctx)));
  }

  void patch(Context ctx) {
    Webhook old = require(ctx);
    Body b = body(ctx);
    String url = b.has("url") ? b.url(true) : old.url();
    List<String> events = b.has("events") ? b.events(true) : old.events();
    Map<String, String> headers = b.has("headers") ? b.headers() : old.headers();
    String queue = b.has("queue") ? b.name("queue", MAX_QUEUE_NAME) : old.queue();
    String jobType = b.has("jobType") ? b.name("jobType", MAX_TYPE_NAME) : old.jobType();
    String owner = b.has("owner") ? b.owner() : old.owner();
    // One rule for null in a PATCH: it removes an optional field (queue, jobType, owner, headers)
    // and is refused where a value must stay (url, events, active).
    if (b.has("active") && b.node.get("active").isNull()) {
      b.errors.add(
          FieldError.at("/active", "required", "active cannot be removed; send true or false"));
    }
    Boolean active = b.bool("active");
    b.throwIfAny();
    boolean on = active != null ? active : old.active();
    Webhook w =
        hooks()
            .update(
                new Webhook(
                    old.id(),
                    url,
                    events,
                    queue,
                    jobType,
                    owner,
                    headers,
                    on,
                    on ? null : old.disabledReason(),
                    old.secrets(),
                    old.createdAt(),
                    old.updatedAt()));
    json.send(ctx, 200, webhook(w));
  }

  void delete(Context ctx) {
    UUID id = id(ctx);
    if (!hooks().delete(id)) throw new WebhookNotFoundException(id);
    ctx.status(204);
  }

  /** {@code ?keepPrevious=false} drops the old secret at once (it leaked); default keeps it. */
  void rotateSecret(Context ctx) {
    Params.allowOnly(ctx, Set.of("keepPrevious"));
    String keep = Params.single(ctx, "keepPrevious");
    if (keep != null && !keep.equals("true") && !keep.equals("false")) {
      throw Problem.invalid(
          FieldError.param("keepPrevious", "type", "keepPrevious must be true or false"));
    }
    Webhook w = hooks().rotateSecret(id(ctx), !"false".equals(keep));
    ObjectNode out = webhook(w);
    out.put("secret", w.secrets().getFirst());
    json.send(ctx, 200, out);
  }

  /** Sends a {@code webhook.test} event now (as a delivery job): 202 with the job's id. */
  void test(Context ctx) {
    Webhook w = require(ctx);
    TaskFlowClient tf = taskflow();
    ObjectNode envelope = json.object();
    envelope.put("id", "test-" + UUID.randomUUID());
    envelope.put("type", WebhookDelivery.TEST_EVENT);
    envelope.put("time", Instant.now().toString());
    envelope.putNull("jobId");
    envelope.putNull("jobType");
    envelope.putNull("queue");
    envelope.putNull("owner");
    envelope.putObject("data").put("webhookId", w.id().toString());
    Job job =
        tf.enqueue(WebhookDelivery.request(w, envelope, dev.taskflow.EnqueueOptions.DEFAULT_QUEUE))
            .job();
    ObjectNode out = json.object();
    out.put("deliveryJobId", job.id().toString());
    out.put("messageId", JsonArgs.messageId(job));
    json.send(ctx, 202, out);
  }

  /** The delivery jobs of a webhook, newest first, each with its attempts. */
  void deliveries(Context ctx) {
    Params.allowOnly(ctx, Set.of("limit", "cursor"));
    Webhook w = require(ctx);
    int limit = Params.intInRange(ctx, "limit", 1, 100, 20);
    Page<Job> page;
    try {
      page =
          client.list(
              JobQuery.all()
                  .type(WebhookDelivery.JOB_TYPE)
                  .tag("webhook:" + w.id())
                  .limit(limit)
                  .cursor(Params.single(ctx, "cursor")));
    } catch (InvalidJobException | IllegalArgumentException e) {
      throw Problem.invalid(
          FieldError.param(
              "cursor", "invalid_cursor", "cursor is not one this server issued for this list"));
    }
    ObjectNode out = json.object();
    ArrayNode items = out.putArray("items");
    for (Job j : page.items()) {
      ObjectNode d = items.addObject();
      JsonNode args = JsonArgs.parse(j);
      d.put("jobId", j.id().toString());
      d.put("messageId", args.path("messageId").asString(null));
      d.put("eventId", args.path("event").path("id").asString(null));
      d.put("eventType", args.path("event").path("type").asString(null));
      d.put("state", j.state().wireName());
      d.put("attempt", j.attempt());
      d.put("maxAttempts", j.maxAttempts());
      d.put("createdAt", ApiJson.instant(j.createdAt()));
      d.put("scheduledAt", ApiJson.instant(j.scheduledAt()));
      d.put("finishedAt", j.finishedAt() == null ? null : ApiJson.instant(j.finishedAt()));
      ArrayNode attempts = d.putArray("attempts");
      for (JobEvent e : client.events(j.id(), null, 1000)) {
        if (!WebhookDelivery.ATTEMPT_EVENT.equals(e.type())) continue;
        ObjectNode a = (ObjectNode) json.event(e).get("data");
        a.put("at", ApiJson.instant(e.time()));
        attempts.add(a);
      }
    }
    if (page.nextCursor() == null) out.putNull("nextCursor");
    else out.put("nextCursor", page.nextCursor());
    json.send(ctx, 200, out);
  }

  // ------------------------------------------------------------------------------------------

  private TaskFlowClient taskflow() {
    if (client.cluster().jobTypes().contains(WebhookDelivery.JOB_TYPE)) {
      return client;
    }
    throw Problem.notFound(
        "path",
        "webhooks are not available on this server: it needs the WebhookDelivery plugin"
            + " (TaskFlowBuilder.plugin; the taskflow server installs it)");
  }

  /** The webhooks; a 501 problem first when the store keeps none. */
  private Webhooks hooks() {
    return taskflow().webhooks().requireSupported();
  }

  private Webhook require(Context ctx) {
    UUID id = id(ctx);
    return hooks().get(id).orElseThrow(() -> new WebhookNotFoundException(id));
  }

  private static UUID id(Context ctx) {
    return Params.pathId(ctx, "webhook");
  }

  private static UUID uuidParam(Context ctx, String name) {
    String raw = Params.single(ctx, name);
    if (raw == null) return null;
    UUID id = Params.uuid(raw);
    if (id != null) return id;
    throw Problem.invalid(
        FieldError.param(name, "invalid_cursor", "cursor must be the nextCursor of a page"));
  }

  private static Webhook copy(Webhook w, String url, boolean active) {
    return new Webhook(
        w.id(),
        url,
        w.events(),
        w.queue(),
        w.jobType(),
        w.owner(),
        w.headers(),
        active,
        w.disabledReason(),
        w.secrets(),
        w.createdAt(),
        w.updatedAt());
  }

  /** A webhook as the API shows it: header values masked, secrets never. */
  private ObjectNode webhook(Webhook w) {
    ObjectNode n = json.object();
    n.put("id", w.id().toString());
    n.put("url", w.url());
    ArrayNode ev = n.putArray("events");
    w.events().forEach(ev::add);
    n.put("queue", w.queue());
    n.put("jobType", w.jobType());
    n.put("owner", w.owner());
    ObjectNode h = n.putObject("headers");
    w.headers().keySet().stream().sorted().forEach(k -> h.put(k, "***"));
    n.put("active", w.active());
    n.put("disabledReason", w.disabledReason());
    n.put("secrets", w.secrets().size());
    n.put("createdAt", ApiJson.instant(w.createdAt()));
    n.put("updatedAt", ApiJson.instant(w.updatedAt()));
    return n;
  }

  private Body body(Context ctx) {
    JsonNode node = bodies.read(ctx);
    if (!node.isObject()) {
      throw Problem.invalid(FieldError.at("", "type", "the body must be a JSON object"));
    }
    Body b = new Body(node);
    FieldError.unknownFields(
        node, "", FIELDS, "a webhook has " + FieldError.listed(FIELDS), b.errors);
    return b;
  }

  /** Typed reads of a webhook body, collecting every error with its pointer. */
  private final class Body {
    final JsonNode node;
    final List<FieldError> errors = new ArrayList<>();

    Body(JsonNode node) {
      this.node = node;
    }

    boolean has(String name) {
      return node.has(name);
    }

    String text(String name) {
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) return null;
      if (!v.isString() || v.asString().isEmpty() || v.asString().length() > 200) {
        errors.add(FieldError.at("/" + name, "type", name + " must be a string of 1..200"));
        return null;
      }
      return v.asString();
    }

    /** A queue or job type filter: a name jobs can have ({@link FlowLimit#NAME}), or null. */
    String name(String name, int max) {
      String v = text(name);
      if (v == null) return null;
      if (v.length() > max || !FlowLimit.NAME.matcher(v).matches()) {
        errors.add(
            FieldError.at(
                "/" + name,
                "pattern",
                name
                    + " must be a name a job can have: 1.."
                    + max
                    + " letters, digits and _ . : - (starting with a letter or digit), else"
                    + " it never matches"));
        return null;
      }
      return v;
    }

    /** An owner filter: text without control characters, or null. */
    String owner() {
      String v = text("owner");
      if (v == null) return null;
      if (v.chars().anyMatch(Character::isISOControl)) {
        errors.add(
            FieldError.at("/owner", "control_character", "owner contains a control character"));
        return null;
      }
      return v;
    }

    Boolean bool(String name) {
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) return null;
      if (!v.isBoolean()) {
        errors.add(FieldError.at("/" + name, "type", name + " must be true or false"));
        return null;
      }
      return v.asBoolean();
    }

    String url(boolean required) {
      JsonNode v = node.get("url");
      if (v != null && !v.isNull() && !v.isString()) {
        errors.add(FieldError.at("/url", "type", "url must be a string"));
        return null;
      }
      String url = v == null || v.isNull() ? null : v.asString();
      if (url == null && !required) return null;
      try {
        guard.check(url);
      } catch (WebhookUrlGuard.Refused r) {
        errors.add(FieldError.at("/url", r.code(), r.getMessage()));
      }
      return url;
    }

    List<String> events(boolean required) {
      JsonNode v = node.get("events");
      if (v == null || v.isNull()) {
        if (required) {
          errors.add(
              FieldError.at("/events", "required", "events is required, e.g. [\"job.failed\"]"));
        }
        return List.of();
      }
      if (!v.isArray() || v.isEmpty() || v.size() > MAX_EVENTS) {
        errors.add(
            FieldError.at(
                "/events", "type", "events must be an array of 1.." + MAX_EVENTS + " event types"));
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        String p = e.isString() ? e.asString() : null;
        if (p != null && out.contains(p)) {
          errors.add(
              FieldError.at(
                  "/events/" + i,
                  "duplicate",
                  "'" + ProblemMapper.shorten(p) + "' is listed twice in events"));
        } else if (p == null || !knownPattern(p)) {
          errors.add(
              FieldError.at(
                  "/events/" + i,
                  "unknown_event",
                  "'"
                      + ProblemMapper.shorten(String.valueOf(p))
                      + "' is not an event type or pattern: use a built-in job event (job.completed,"
                      + " job.failed, ...), job.*, webhook.test, or a custom type such as"
                      + " embedding.completed (or embedding.*)"));
        } else {
          out.add(p);
        }
      }
      return out;
    }

    Map<String, String> headers() {
      JsonNode v = node.get("headers");
      if (v == null || v.isNull()) return Map.of();
      if (!v.isObject()) {
        errors.add(FieldError.at("/headers", "type", "headers must be an object of strings"));
        return Map.of();
      }
      if (v.size() > MAX_HEADERS) {
        errors.add(
            FieldError.at(
                "/headers",
                "too_many_headers",
                "at most " + MAX_HEADERS + " extra headers, got " + v.size()));
        return Map.of();
      }
      Map<String, String> out = new LinkedHashMap<>();
      Set<String> seen = new java.util.HashSet<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        String name = e.getKey();
        String at = FieldError.child("/headers", name);
        String lower = name.toLowerCase(Locale.ROOT);
        if (!HEADER_NAME.matcher(name).matches()) {
          errors.add(FieldError.at(at, "invalid_header_name", "not a valid HTTP header name"));
        } else if (FORBIDDEN_HEADERS.contains(lower)
            || lower.startsWith("webhook-")
            || lower.startsWith("proxy-")) {
          errors.add(
              FieldError.at(
                  at,
                  "forbidden_header",
                  name + " is set by TaskFlow (or the connection) and cannot be overridden"));
        } else if (!e.getValue().isString()) {
          errors.add(FieldError.at(at, "type", "a header value must be a string"));
        } else if (e.getValue().asString().length() > MAX_HEADER_VALUE) {
          errors.add(
              FieldError.at(
                  at,
                  "header_too_large",
                  "a header value is at most " + MAX_HEADER_VALUE + " characters"));
        } else if (!seen.add(lower)) {
          errors.add(
              FieldError.at(
                  at,
                  "duplicate_header",
                  name + " is given twice (header names are case-insensitive)"));
        } else if (!e.getValue().asString().chars().allMatch(WebhookRoutes::headerValueChar)) {
          errors.add(
              FieldError.at(
                  at,
                  "header_value",
                  "a header value may hold visible ASCII characters, spaces and tabs only"));
        } else {
          out.put(name, e.getValue().asString());
        }
      }
      return out;
    }

    void throwIfAny() {
      if (!errors.isEmpty()) throw Problem.invalid(errors);
    }
  }

  /** Visible ASCII, space or tab: what every HTTP client sends unchanged. */
  static boolean headerValueChar(int c) {
    return c == '\t' || (c >= 0x20 && c < 0x7f);
  }

  static boolean knownPattern(String p) {
    if (p.length() > 200) return false;
    if (BUILT_IN.contains(p) || p.equals("job.*") || p.equals(WebhookDelivery.TEST_EVENT)) {
      return true;
    }
    if (p.startsWith("job.") || p.startsWith("webhook.")) return false; // reserved prefixes
    return EVENT_NAME.matcher(p).matches() || EVENT_PREFIX.matcher(p).matches();
  }

  /**
   * Reads a delivery job's args (written by {@link WebhookDelivery#request}) with the one mapper.
   */
  static final class JsonArgs {
    private JsonArgs() {}

    static JsonNode parse(Job j) {
      return ApiJson.mapper().readTree(j.argsJson());
    }

    static String messageId(Job j) {
      return parse(j).path("messageId").asString(null);
    }
  }
}
