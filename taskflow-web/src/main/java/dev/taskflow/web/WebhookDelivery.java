package dev.taskflow.web;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobContext;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.JobRequest;
import dev.taskflow.JobSnooze;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlow;
import dev.taskflow.Webhook;
import dev.taskflow.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers job events to registered webhooks, each delivery a durable TaskFlow job of type {@value
 * #JOB_TYPE}: a listener enqueues one per matching event, and its worker POSTs the event envelope
 * signed per Standard Webhooks ({@code webhook-id} fixed at enqueue, so the same on every retry).
 *
 * <ul>
 *   <li>2xx: delivered. A redirect is a failure and is never followed.
 *   <li>410 Gone: the webhook is switched off and the delivery fails for good.
 *   <li>429 and 5xx with {@code Retry-After}: tried again after that wait (bounded by {@link
 *       Options#maxRetryAfter()}); without it, and any other failure: retried with exponential
 *       backoff and full jitter ({@link #DEFAULT_RETRY}, {@link #DEFAULT_MAX_ATTEMPTS} tries in
 *       all, spanning more than a day).
 *   <li>The URL passes the SSRF guard again before every attempt, and the connection goes to the
 *       addresses that were checked.
 * </ul>
 *
 * Every attempt appends a {@value #ATTEMPT_EVENT} event to the delivery job (status, duration,
 * start of the response body), which {@code GET /api/v1/webhooks/{id}/deliveries} lists.
 *
 * {@snippet :
 * TaskFlow.Builder builder = TaskFlow.builder().storage(storage);
 * WebhookDelivery webhooks = WebhookDelivery.install(builder, WebhookDelivery.Options.defaults());
 * TaskFlow taskflow = builder.build();
 * webhooks.bind(taskflow);
 * TaskFlowWeb.create(taskflow, WebConfig.defaults()).start();
 * }
 */
public final class WebhookDelivery implements AutoCloseable {
  public static final String JOB_TYPE = "taskflow.webhook.deliver";
  public static final String TEST_EVENT = "webhook.test";
  public static final String ATTEMPT_EVENT = "webhook.attempt";
  public static final int DEFAULT_MAX_ATTEMPTS = 20;

  /** 5 s doubling up to 10 h, full jitter: 20 tries span about 35 h on average, 70 h at most. */
  public static final RetryPolicy DEFAULT_RETRY =
      RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofHours(10))
          .withNonRetryable(Refused.class);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(6);
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

  /**
   * @param allowHttp deliver to plain {@code http://} URLs (off by default)
   * @param allowPrivateTargets deliver to loopback, private and other non-public addresses (off by
   *     default; for tests and closed networks)
   * @param queue the queue delivery jobs run on
   * @param maxAttempts tries per delivery
   * @param retry the backoff between tries
   * @param timeout per request, connect to last byte
   * @param maxRetryAfter the longest {@code Retry-After} honoured
   * @param cacheTtl how long the list of webhooks is reused when matching events
   * @param clock the clock of {@code webhook-timestamp}
   */
  public record Options(
      boolean allowHttp,
      boolean allowPrivateTargets,
      String queue,
      int maxAttempts,
      RetryPolicy retry,
      Duration timeout,
      Duration maxRetryAfter,
      Duration cacheTtl,
      Clock clock) {
    public Options {
      Objects.requireNonNull(queue, "queue");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(clock, "clock");
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException(
            "webhook maxAttempts must be 1..100, was " + maxAttempts);
      }
      if (timeout == null || timeout.toMillis() < 1 || timeout.toMinutes() > 5) {
        throw new IllegalArgumentException("webhook timeout must be 1 ms..5 min, was " + timeout);
      }
      if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must be >= 0, was " + maxRetryAfter);
      }
      if (cacheTtl == null || cacheTtl.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must be >= 0, was " + cacheTtl);
      }
    }

    /** https only, public targets only, queue {@code default}, the {@code DEFAULT_*} values. */
    public static Options defaults() {
      return new Options(
          false,
          false,
          EnqueueOptions.DEFAULT_QUEUE,
          DEFAULT_MAX_ATTEMPTS,
          DEFAULT_RETRY,
          DEFAULT_TIMEOUT,
          DEFAULT_MAX_RETRY_AFTER,
          DEFAULT_CACHE_TTL,
          Clock.systemUTC());
    }

    public Options withAllowHttp(boolean allow) {
      return new Options(
          allow,
          allowPrivateTargets,
          queue,
          maxAttempts,
          retry,
          timeout,
          maxRetryAfter,
          cacheTtl,
          clock);
    }

    public Options withAllowPrivateTargets(boolean allow) {
      return new Options(
          allowHttp, allow, queue, maxAttempts, retry, timeout, maxRetryAfter, cacheTtl, clock);
    }

    public Options withCacheTtl(Duration ttl) {
      return new Options(
          allowHttp,
          allowPrivateTargets,
          queue,
          maxAttempts,
          retry,
          timeout,
          maxRetryAfter,
          ttl,
          clock);
    }

    public Options withClock(Clock c) {
      return new Options(
          allowHttp,
          allowPrivateTargets,
          queue,
          maxAttempts,
          retry,
          timeout,
          maxRetryAfter,
          cacheTtl,
          c);
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
  private final ApiJson json = new ApiJson();
  private final AtomicReference<TaskFlow> taskflow = new AtomicReference<>();
  private volatile Cache cache = new Cache(List.of(), Instant.MIN);

  private record Cache(List<Webhook> hooks, Instant until) {}

  private WebhookDelivery(Options options) {
    this.options = options;
    this.guard = new WebhookUrlGuard(options.allowHttp(), options.allowPrivateTargets());
  }

  /** Registers the delivery worker and the event listener on a builder; {@link #bind} it after. */
  public static WebhookDelivery install(TaskFlow.Builder builder, Options options) {
    WebhookDelivery d = new WebhookDelivery(options);
    builder.worker(JOB_TYPE, JsonNode.class, d.new DeliverWorker());
    builder.listener(d.new Matcher());
    return d;
  }

  /** Connects to the built TaskFlow: until then, events are not matched and deliveries wait. */
  public WebhookDelivery bind(TaskFlow taskflow) {
    this.taskflow.set(Objects.requireNonNull(taskflow, "taskflow"));
    return this;
  }

  public Options options() {
    return options;
  }

  /**
   * The delivery job for one event to one webhook, with a new {@code webhook-id}; its attempts are
   * the worker's ({@link Options#maxAttempts()}).
   */
  static JobRequest request(Webhook w, ObjectNode envelope, String queue) {
    ObjectNode args = new ApiJson().object();
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

  private List<Webhook> hooks(TaskFlow tf) {
    Cache c = cache;
    Instant now = Instant.now();
    if (now.isBefore(c.until())) return c.hooks();
    List<Webhook> all = tf.webhooks().all().stream().filter(Webhook::active).toList();
    cache = new Cache(all, now.plus(options.cacheTtl()));
    return all;
  }

  /** Hears every event; enqueues a delivery for each active webhook that wants it. */
  private final class Matcher implements JobListener {
    @Override
    public void onEvent(JobEvent e) {
      TaskFlow tf = taskflow.get();
      if (tf == null || JOB_TYPE.equals(e.jobType())) return; // never webhooks about webhooks
      for (Webhook w : hooks(tf)) {
        if (!w.matches(e)) continue;
        tf.enqueue(request(w, json.event(e), options.queue()));
      }
    }
  }

  private final class DeliverWorker implements Worker<JsonNode> {
    @Override
    public Object run(JsonNode args, JobContext ctx) throws Exception {
      TaskFlow tf = taskflow.get();
      if (tf == null) {
        throw new Failed("WebhookDelivery.bind(taskflow) was not called on this server yet");
      }
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
  private static int tries(TaskFlow tf, JobContext ctx) {
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

  @Override
  public void close() {
    sender.close();
  }
}
