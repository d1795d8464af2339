package dev.taskflow.webhooks;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EventCursor;
import dev.taskflow.JobContext;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.JobRequest;
import dev.taskflow.JobSnooze;
import dev.taskflow.PluginContext;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.TaskFlowPlugin;
import dev.taskflow.Webhook;
import dev.taskflow.Worker;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.WebPlugin;
import dev.taskflow.web.WebPluginContext;
import dev.taskflow.webhooks.verify.WebhookVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhooks as a plugin of both sides: of TaskFlow ({@link TaskFlowPlugin}: it delivers job events
 * to registered webhooks) and of its web server ({@link WebPlugin}: it serves {@code
 * /api/v1/webhooks}). One {@link WebhookPolicy} judges every URL, at registration and at delivery.
 *
 * <p>Each delivery is a durable TaskFlow job of type {@value #JOB_TYPE}: one server of the cluster
 * (the holder of the {@code webhooks} leadership) reads the event log from a durable cursor and
 * enqueues one per matching event and webhook, in the same transaction that advances the cursor, so
 * events that happened while no server ran are delivered when one starts and each is enqueued once
 * across the cluster. The worker POSTs the event envelope signed per Standard Webhooks ({@code
 * webhook-id} fixed at enqueue, so the same on every retry).
 *
 * <ul>
 *   <li>2xx: delivered. A redirect is a failure and is never followed.
 *   <li>410 Gone: the webhook is switched off and the delivery fails for good.
 *   <li>429 and 5xx with {@code Retry-After}: tried again after that wait (bounded by {@link
 *       Options#maxRetryAfter()}); without it, and any other failure (a timeout included, {@link
 *       Options#timeout()}): retried with exponential backoff, each wait at least half its ceiling
 *       ({@link #DEFAULT_RETRY}, {@link #DEFAULT_MAX_ATTEMPTS} tries in all, spanning at least 35
 *       h).
 *   <li>The URL passes the SSRF guard ({@link Options#policy()}) again before every attempt, and
 *       the connection goes to the addresses that were checked.
 * </ul>
 *
 * Every attempt appends a {@value #ATTEMPT_EVENT} event to the delivery job (status, duration,
 * start of the response body), which {@code GET /api/v1/webhooks/{id}/deliveries} lists.
 *
 * {@snippet :
 * WebhookDelivery webhooks = new WebhookDelivery(WebhookPolicy.defaults());
 * TaskFlow taskflow = TaskFlow.builder().storage(storage).plugin(webhooks).build().start();
 * TaskFlowWeb.create(taskflow, WebConfig.defaults(), webhooks).start();
 * }
 */
public final class WebhookDelivery implements TaskFlowPlugin, WebPlugin, AutoCloseable {
  public static final String JOB_TYPE = "taskflow.webhook.deliver";
  public static final String TEST_EVENT = "webhook.test";
  public static final String ATTEMPT_EVENT = "webhook.attempt";
  public static final int DEFAULT_MAX_ATTEMPTS = 20;

  /**
   * 5 s doubling up to 10 h, each wait between half its ceiling and the ceiling: the 19 waits
   * between {@link #DEFAULT_MAX_ATTEMPTS} tries add up to at least 35.6 h ({@code
   * DEFAULT_RETRY.minSpan(DEFAULT_MAX_ATTEMPTS)}), about 53 h on average and 71.4 h at most.
   */
  public static final RetryPolicy DEFAULT_RETRY =
      RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofHours(10))
          .withMinJitter(0.5)
          .withNonRetryable(Refused.class);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(6);

  /** How often the fan-out leader looks for new events when none woke it. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  /** How long a delivery waits when it found this server shutting down (no attempt is spent). */
  static final Duration CLOSED_SNOOZE = Duration.ofSeconds(5);

  /** The lease of the fan-out leadership, renewed every third of it. */
  public static final Duration DEFAULT_LEADER_TTL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

  /**
   * @param policy which URLs are accepted, at registration and before every attempt ({@link
   *     WebhookPolicy#defaults()}: https only, public targets only)
   * @param queue the queue delivery jobs run on
   * @param maxAttempts tries per delivery
   * @param retry the backoff between tries
   * @param timeout per request, connect to last byte (15 s by default); a receiver that has not
   *     answered by then fails the attempt ({@code timeout})
   * @param maxRetryAfter the longest {@code Retry-After} honoured
   * @param pollInterval how often the fan-out leader reads the event log when no event woke it
   *     (events this server hears wake it at once)
   * @param leaderTtl the lease of the {@code webhooks} leadership: a leader that dies without
   *     giving it up is replaced within this time (renewed every third of it)
   * @param clock the clock of {@code webhook-timestamp}
   */
  public record Options(
      WebhookPolicy policy,
      String queue,
      int maxAttempts,
      RetryPolicy retry,
      Duration timeout,
      Duration maxRetryAfter,
      Duration pollInterval,
      Duration leaderTtl,
      Clock clock) {
    public Options {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(queue, "queue");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(clock, "clock");
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException(
            "webhook maxAttempts must be 1..100, was " + maxAttempts);
      }
      if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException("webhook timeout must be 1 ms..5 min, was " + timeout);
      }
      if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must be >= 0, was " + maxRetryAfter);
      }
      if (pollInterval == null
          || pollInterval.toMillis() < 10
          || pollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "webhook pollInterval must be 10 ms..10 min, was " + pollInterval);
      }
      if (leaderTtl == null
          || leaderTtl.toMillis() < 300
          || leaderTtl.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "webhook leaderTtl must be 300 ms..10 min, was " + leaderTtl);
      }
    }

    /** https only, public targets only, queue {@code default}, the {@code DEFAULT_*} values. */
    public static Options defaults() {
      return new Options(
          WebhookPolicy.defaults(),
          EnqueueOptions.DEFAULT_QUEUE,
          DEFAULT_MAX_ATTEMPTS,
          DEFAULT_RETRY,
          DEFAULT_TIMEOUT,
          DEFAULT_MAX_RETRY_AFTER,
          DEFAULT_POLL_INTERVAL,
          DEFAULT_LEADER_TTL,
          Clock.systemUTC());
    }

    /** The URL policy of registration and delivery. */
    public Options withPolicy(WebhookPolicy p) {
      return with(d -> d.policy = p);
    }

    /** The per-request timeout, connect to last byte: 1 ms..5 min. */
    public Options withTimeout(Duration t) {
      return with(d -> d.timeout = t);
    }

    public Options withPollInterval(Duration interval) {
      return with(d -> d.pollInterval = interval);
    }

    /** The lease of the fan-out leadership: 300 ms..10 min. */
    public Options withLeaderTtl(Duration ttl) {
      return with(d -> d.leaderTtl = ttl);
    }

    public Options withClock(Clock c) {
      return with(d -> d.clock = c);
    }

    /** A copy with one change, validated again by the canonical constructor. */
    private Options with(Consumer<Draft> change) {
      Draft d = new Draft(this);
      change.accept(d);
      return new Options(
          d.policy,
          queue,
          maxAttempts,
          retry,
          d.timeout,
          maxRetryAfter,
          d.pollInterval,
          d.leaderTtl,
          d.clock);
    }

    /** The settings a {@code with…} method may change, copied from the options it starts from. */
    private static final class Draft {
      WebhookPolicy policy;
      Duration timeout;
      Duration pollInterval;
      Duration leaderTtl;
      Clock clock;

      Draft(Options o) {
        policy = o.policy;
        timeout = o.timeout;
        pollInterval = o.pollInterval;
        leaderTtl = o.leaderTtl;
        clock = o.clock;
      }
    }
  }

  /** A delivery that must not be tried again: a refused URL, or 410 Gone. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** A failed attempt worth another try (network error, timeout, redirect, non-2xx). */
  public static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  private final Options options;
  private final WebhookUrlGuard guard;
  private final WebhookSender sender = new WebhookSender();
  private final AtomicReference<PluginContext> context = new AtomicReference<>();
  private volatile WebhookFanOut fanOut;
  private volatile boolean fanOutPossible;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Webhooks with these options: install them with {@code TaskFlowBuilder.plugin} (delivery) and
   * give them to {@code TaskFlowWeb.create} (the API).
   */
  public WebhookDelivery(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    this.guard = new WebhookUrlGuard(options.policy());
  }

  /** Webhooks under this URL policy, with the other {@link Options#defaults()}. */
  public WebhookDelivery(WebhookPolicy policy) {
    this(Options.defaults().withPolicy(policy));
  }

  @Override
  public String name() {
    return "webhooks";
  }

  /** Registers the delivery worker and the listener that wakes the fan-out. */
  @Override
  public void install(PluginContext ctx) {
    if (!context.compareAndSet(null, Objects.requireNonNull(ctx, "context"))) {
      throw new IllegalStateException("this WebhookDelivery is installed in a TaskFlow already");
    }
    ctx.worker(JOB_TYPE, JsonNode.class, new DeliverWorker());
    ctx.listener(new Waker());
  }

  /**
   * Creates the fan-out's cursor if the store never had webhook delivery, at the current end of the
   * event log: every event appended after the TaskFlow was built is seen. On a store that keeps no
   * webhooks or no event cursors the fan-out does not run (logged once): there is nothing to
   * deliver.
   */
  @Override
  public void built() {
    PluginContext ctx = context();
    EventCursor cursor = ctx.eventCursor(WebhookFanOut.NAME);
    if (!ctx.client().webhooks().supported() || !cursor.supported()) {
      log.info(
          "webhook fan-out off on server {}: the store does not keep {}",
          ctx.serverId(),
          ctx.client().webhooks().supported() ? "event cursors" : "webhooks");
      return;
    }
    cursor.position(); // creates it now if new
    fanOutPossible = true;
  }

  /** Starts the fan-out: until then, events are not matched and deliveries wait. */
  @Override
  public void start() {
    if (!fanOutPossible) return;
    fanOut =
        new WebhookFanOut(context(), options.queue(), options.pollInterval(), options.leaderTtl())
            .start();
  }

  private PluginContext context() {
    PluginContext ctx = context.get();
    if (ctx == null) {
      throw new IllegalStateException("install WebhookDelivery with TaskFlowBuilder.plugin first");
    }
    return ctx;
  }

  /**
   * Serves {@code /api/v1/webhooks…} on the web server, judging URLs with this plugin's policy; the
   * routes answer 404 while this plugin is not installed in the TaskFlow they reach.
   */
  @Override
  public void mount(WebPluginContext web) {
    new WebhookRoutes(web.client(), web.json(), web.bodies(), guard).register(web);
  }

  @Override
  public void stop() {
    close();
  }

  public Options options() {
    return options;
  }

  /** Deliveries this server's fan-out enqueued with a winning advance of the cursor (tests). */
  long deliveriesEnqueued() {
    WebhookFanOut f = fanOut;
    return f == null ? 0 : f.enqueued();
  }

  /**
   * The delivery job for one event to one webhook, with a new {@code webhook-id}; its attempts are
   * the worker's ({@link Options#maxAttempts()}).
   */
  static JobRequest request(Webhook w, ObjectNode envelope, String queue) {
    ObjectNode args = ApiJson.mapper().createObjectNode();
    args.put("webhookId", w.id().toString());
    args.put("messageId", "msg_" + UUID.randomUUID().toString().replace("-", ""));
    args.set("event", envelope);
    return new JobRequest(
        JOB_TYPE,
        args.toString(),
        EnqueueOptions.defaults()
            .queue(queue)
            .uniqueKey("webhook:" + w.id() + ":" + envelope.path("id").asString())
            .tags("webhook:" + w.id()));
  }

  /**
   * Wakes the fan-out on every event this server hears (other servers' too, through the event bus);
   * the fan-out itself reads the durable event log, so a missed wake-up only waits for its poll.
   */
  private final class Waker implements JobListener {
    @Override
    public void onEvent(JobEvent e) {
      WebhookFanOut f = fanOut;
      if (f != null && !JOB_TYPE.equals(e.jobType())) f.wake();
    }
  }

  private final class DeliverWorker implements Worker<JsonNode> {
    @Override
    public Object run(JsonNode args, JobContext ctx) throws Exception {
      PluginContext pc = context.get();
      if (pc == null) {
        throw new Failed("WebhookDelivery is not installed on this server");
      }
      TaskFlowClient tf = pc.client();
      UUID hookId = UUID.fromString(args.path("webhookId").asString());
      String messageId = args.path("messageId").asString();
      JsonNode event = args.path("event");
      Webhook w = tf.webhooks().get(hookId).orElse(null);
      if (w == null) return skipped("webhook " + hookId + " was deleted");
      if (!w.active() && !TEST_EVENT.equals(event.path("type").asString())) {
        return skipped("webhook " + hookId + " is inactive");
      }
      WebhookUrlGuard.Checked target;
      try {
        target = guard.check(w.url());
      } catch (WebhookUrlGuard.Refused r) {
        record(ctx, "refused", 0, null, 0, r.code() + ": " + r.getMessage());
        throw new Refused(
            "webhook " + hookId + " URL refused at delivery (" + r.code() + "): " + r.getMessage());
      }
      byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
      long ts = options.clock().instant().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>(w.headers());
      headers.put("Content-Type", "application/json");
      headers.put("webhook-id", messageId);
      headers.put("webhook-timestamp", Long.toString(ts));
      headers.put("webhook-signature", WebhookVerifier.sign(w.secrets(), messageId, ts, body));
      WebhookSender.Reply reply;
      try {
        reply = sender.send(target, headers, body, options.timeout());
      } catch (WebhookSender.Timeout e) {
        record(ctx, "timeout", 0, null, e.millis(), e.getMessage());
        throw new Failed("webhook " + hookId + " to " + target.host() + ": " + e.getMessage());
      } catch (WebhookSender.Closed e) {
        // Nothing was sent: run again once a live server picks it up, spending no attempt.
        throw JobSnooze.after(CLOSED_SNOOZE);
      } catch (IOException e) {
        record(ctx, "error", 0, null, 0, e.getMessage());
        throw new Failed("webhook " + hookId + " to " + target.host() + ": " + e.getMessage());
      }
      int s = reply.status();
      if (s >= 200 && s < 300) {
        record(ctx, "delivered", s, reply.body(), reply.millis(), null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", s);
        result.put("durationMs", reply.millis());
        result.put("webhookId", hookId.toString());
        result.put("messageId", messageId);
        return result;
      }
      if (s == 410) {
        record(ctx, "gone", s, reply.body(), reply.millis(), "webhook disabled");
        tf.webhooks()
            .disable(hookId, "the receiver answered 410 Gone at " + options.clock().instant());
        throw new Refused("webhook " + hookId + ": HTTP 410 Gone; the webhook is now disabled");
      }
      if (s >= 300 && s < 400) {
        record(ctx, "redirect", s, reply.body(), reply.millis(), "redirects are not followed");
        throw new Failed(
            "webhook "
                + hookId
                + ": HTTP "
                + s
                + " redirect to "
                + ProblemMapper.shorten(String.valueOf(reply.location()))
                + " not followed");
      }
      Duration wait = s == 429 || s >= 500 ? retryAfter(reply.retryAfter()) : null;
      if (wait != null && tries(tf, ctx) < options.maxAttempts()) {
        record(ctx, "retry_after", s, reply.body(), reply.millis(), "Retry-After " + wait);
        throw JobSnooze.after(wait);
      }
      record(ctx, "failed", s, reply.body(), reply.millis(), null);
      throw new Failed("webhook " + hookId + ": HTTP " + s + " from " + target.host());
    }

    @Override
    public int maxAttempts() {
      return options.maxAttempts();
    }

    @Override
    public RetryPolicy retryPolicy() {
      return options.retry();
    }

    @Override
    public Duration timeout() {
      return options.timeout().multipliedBy(2).plusSeconds(5);
    }
  }

  /** Tries so far, snoozed ones included, so a receiver that always says Retry-After ends. */
  private static int tries(TaskFlowClient tf, JobContext ctx) {
    return (int)
        tf.events(ctx.jobId(), null, 1000).stream()
            .filter(e -> ATTEMPT_EVENT.equals(e.type()))
            .count();
  }

  private Duration retryAfter(String header) {
    if (header == null || header.isBlank()) return null;
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      try {
        Instant at =
            ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(options.clock().instant(), at);
      } catch (RuntimeException e2) {
        return null;
      }
    }
    if (d.isNegative()) d = Duration.ZERO;
    return d.compareTo(options.maxRetryAfter()) > 0 ? options.maxRetryAfter() : d;
  }

  private static void record(
      JobContext ctx, String outcome, int status, String body, long millis, String detail) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("attempt", ctx.attempt());
    data.put("outcome", outcome);
    data.put("status", status == 0 ? null : status);
    data.put("durationMs", millis);
    data.put("responseBody", body);
    data.put("detail", detail == null ? null : ProblemMapper.shorten(detail));
    try {
      ctx.emit(ATTEMPT_EVENT, data);
    } catch (RuntimeException e) {
      log.warn("webhook delivery job {}: cannot record the attempt: {}", ctx.jobId(), e.toString());
    }
  }

  private static Map<String, Object> skipped(String why) {
    return Map.of("skipped", why);
  }

  /**
   * Stops the fan-out (giving its leadership up), lets requests in flight finish (up to the
   * timeout), then stops the HTTP client; close before the TaskFlow. Deliveries this server starts
   * after that fail their attempt without sending and are retried.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    WebhookFanOut f = fanOut;
    try {
      if (f != null) f.close();
    } finally {
      sender.close(options.timeout());
    }
  }
}
