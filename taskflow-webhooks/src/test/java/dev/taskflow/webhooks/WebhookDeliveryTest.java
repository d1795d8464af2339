package dev.taskflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.Job;
import dev.taskflow.JobQuery;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Webhook;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import dev.taskflow.webhooks.verify.WebhookVerifier;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deliveries to a real receiver on loopback, on a manual clock: the private-target and http options
 * are on for delivery here (except where a test says otherwise), and jobs run with {@link
 * TaskFlow#runDueJobs()}, so retries are driven by moving the clock, never by sleeping.
 */
class WebhookDeliveryTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T10:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookReceiver receiver;
  private TaskFlow taskflow;
  private TaskFlowWeb web;
  private WebhookDelivery delivery;

  private void start(boolean deliverToPrivate) throws Exception {
    start(deliverToPrivate, o -> o);
  }

  private void start(boolean deliverToPrivate, UnaryOperator<WebhookDelivery.Options> options)
      throws Exception {
    receiver = new WebhookReceiver();
    TaskFlowBuilder b =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .queue(EnqueueOptions.DEFAULT_QUEUE, q -> q.concurrency(10))
            .queue("emails", q -> q.concurrency(2))
            .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
            .worker("demo.other", JsonNode.class, (args, ctx) -> args)
            .worker(
                "demo.emit",
                JsonNode.class,
                (args, ctx) -> {
                  ctx.emit("embedding.completed", Map.of("chunks", 3));
                  return null;
                });
    delivery =
        Deliveries.installed(
            b,
            options.apply(
                WebhookDelivery.Options.defaults()
                    .withPolicy(
                        WebhookPolicy.defaults()
                            .withAllowHttp(deliverToPrivate)
                            .withAllowPrivateTargets(deliverToPrivate))
                    .withPollInterval(Duration.ofMillis(100))
                    .withClock(clock)));
    taskflow = b.build();
    web = TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build(), delivery).start();
  }

  @AfterEach
  void stop() {
    if (web != null) web.close();
    if (delivery != null) delivery.close();
    if (taskflow != null) taskflow.close();
    if (receiver != null) receiver.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .header("Content-Type", "application/json");
    r.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Registers a webhook for job.* on the receiver; returns {id, secret}. */
  private JsonNode register(String path) throws Exception {
    return register(path, "\"events\":[\"job.*\"]");
  }

  /** Registers a webhook on the receiver with more fields of the body; returns {id, secret}. */
  private JsonNode register(String path, String fields) throws Exception {
    HttpResponse<String> r =
        call("POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url(path) + "\"," + fields + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private JsonNode deliveries(JsonNode hook) throws Exception {
    HttpResponse<String> r =
        call("GET", "/api/v1/webhooks/" + hook.get("id").asString() + "/deliveries", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("items");
  }

  /** The only attempt of the newest delivery of a webhook. */
  private JsonNode lastAttempt(JsonNode hook) throws Exception {
    JsonNode attempts = deliveries(hook).get(0).get("attempts");
    return attempts.get(attempts.size() - 1);
  }

  private Job sendTest(String webhookId) throws Exception {
    HttpResponse<String> r = call("POST", "/api/v1/webhooks/" + webhookId + "/test", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(JSON.readTree(r.body()).get("deliveryJobId").asString());
    return taskflow.get(jobId).orElseThrow();
  }

  private Job job(Job j) {
    return taskflow.get(j.id()).orElseThrow();
  }

  @Test
  void a_delivery_is_signed_and_keeps_its_webhook_id_across_retries_on_500s() throws Exception {
    start(true);
    JsonNode hook = register("/hook");
    String secret = hook.get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    receiver.answer(500, Map.of());
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Job now = job(delivery);
      assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
      assertThat(now.attempt()).isEqualTo(attempt);
      Duration wait = Duration.between(clock.instant(), now.scheduledAt());
      Duration ceiling = WebhookDelivery.DEFAULT_RETRY.ceiling(attempt);
      Duration floor = WebhookDelivery.DEFAULT_RETRY.minDelay(attempt);
      assertThat(floor).isEqualTo(ceiling.dividedBy(2)).isPositive();
      assertThat(wait).as("wait after try %d", attempt).isBetween(floor, ceiling);
      // not due a millisecond early
      clock.advance(wait.minusMillis(1));
      taskflow.runDueJobs();
      assertThat(receiver.received).hasSize(attempt);
      clock.advance(Duration.ofMillis(1));
      if (attempt == 3) receiver.answer(204, Map.of());
      taskflow.runDueJobs();
    }

    assertThat(job(delivery).state()).isEqualTo(JobState.COMPLETED);
    assertThat(receiver.received).hasSize(4);
    String id = receiver.received.getFirst().header("webhook-id");
    assertThat(id).startsWith("msg_");
    for (WebhookReceiver.Received r : receiver.received) {
      assertThat(r.header("webhook-id")).isEqualTo(id);
      assertThat(r.header("webhook-signature")).startsWith("v1,");
      new WebhookVerifier(List.of(secret), WebhookVerifier.DEFAULT_TOLERANCE, clock)
          .verify(id, r.header("webhook-timestamp"), r.header("webhook-signature"), r.body());
    }
    WebhookReceiver.Received last = receiver.received.getLast();
    JsonNode event = JSON.readTree(last.body());
    assertThat(event.get("type").asString()).isEqualTo("webhook.test");
    assertThat(last.header("webhook-timestamp"))
        .isEqualTo(Long.toString(clock.instant().getEpochSecond()));

    WebhookVerifier verifier =
        new WebhookVerifier(List.of(secret), WebhookVerifier.DEFAULT_TOLERANCE, clock);
    verifier.verify(
        id, last.header("webhook-timestamp"), last.header("webhook-signature"), last.body());
    assertThatThrownBy(
            () ->
                verifier.verify(
                    id,
                    last.header("webhook-timestamp"),
                    last.header("webhook-signature"),
                    last.body()))
        .hasMessageContaining("replay");
    byte[] tampered = (new String(last.body()) + " ").getBytes();
    assertThatThrownBy(
            () ->
                new WebhookVerifier(secret)
                    .verify(
                        id,
                        last.header("webhook-timestamp"),
                        last.header("webhook-signature"),
                        tampered))
        .isInstanceOf(WebhookVerifier.Invalid.class);

    HttpResponse<String> list =
        call("GET", "/api/v1/webhooks/" + hook.get("id").asString() + "/deliveries", null);
    JsonNode attempts = JSON.readTree(list.body()).get("items").get(0).get("attempts");
    assertThat(attempts).hasSize(4);
    assertThat(attempts.get(0).get("status").asInt()).isEqualTo(500);
    assertThat(attempts.get(0).get("responseBody").asString()).isEqualTo("answer 500");
    assertThat(attempts.get(3).get("outcome").asString()).isEqualTo("delivered");
  }

  @Test
  void a_410_disables_the_webhook_and_ends_the_delivery() throws Exception {
    start(true);
    JsonNode hook = register("/gone");
    receiver.answer(410, Map.of());
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    assertThat(job(delivery).state()).isEqualTo(JobState.FAILED);
    JsonNode now =
        JSON.readTree(call("GET", "/api/v1/webhooks/" + hook.get("id").asString(), null).body());
    assertThat(now.get("active").asBoolean()).isFalse();
    assertThat(now.get("disabledReason").asString()).contains("410");
  }

  @Test
  void a_redirect_is_not_followed_and_counts_as_a_failure() throws Exception {
    start(true);
    JsonNode hook = register("/moved");
    receiver.answer(302, Map.of("Location", receiver.url("/elsewhere")));
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    assertThat(receiver.received)
        .extracting(WebhookReceiver.Received::path)
        .containsExactly("/moved");
    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.errors().getLast().message()).contains("302").contains("not followed");
  }

  @Test
  void a_delivery_picked_up_while_its_server_shuts_down_sends_nothing_and_spends_no_attempt()
      throws Exception {
    start(true);
    JsonNode hook = register("/closing");
    Job queued = sendTest(hook.get("id").asString());
    delivery.close(); // what a shutting-down server does before its engine stops

    taskflow.runDueJobs();

    Job now = job(queued);
    assertThat(receiver.received).isEmpty();
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.attempt()).as("a snooze gives the attempt back").isZero();
    assertThat(now.scheduledAt()).isEqualTo(clock.instant().plus(WebhookDelivery.CLOSED_SNOOZE));
    assertThat(deliveries(hook).get(0).get("attempts")).as("no attempt is recorded").isEmpty();
  }

  @Test
  void retry_after_on_a_503_sets_the_next_try() throws Exception {
    start(true);
    JsonNode hook = register("/busy");
    receiver.answer(503, Map.of("Retry-After", "120"));
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.scheduledAt()).isEqualTo(clock.instant().plusSeconds(120));
    clock.advance(Duration.ofSeconds(119));
    taskflow.runDueJobs();
    assertThat(receiver.received).hasSize(1);
    receiver.answer(200, Map.of());
    clock.advance(Duration.ofSeconds(1));
    taskflow.runDueJobs();
    assertThat(receiver.received).hasSize(2);
    assertThat(job(delivery).state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void a_webhook_registered_while_private_targets_were_allowed_is_refused_at_delivery()
      throws Exception {
    start(false); // public https targets only, for the API and for delivery
    // Stored as an earlier server with a looser policy (or a direct store write) would have left
    // it.
    Webhook hook =
        taskflow
            .webhooks()
            .create(receiver.url("/hook"), List.of("job.*"), null, null, null, Map.of());
    Job delivery = sendTest(hook.id().toString());

    taskflow.runDueJobs();

    assertThat(receiver.received).isEmpty();
    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.FAILED);
    assertThat(now.errors().getLast().message()).contains("refused at delivery");
  }

  @Test
  void the_api_and_the_deliverer_judge_a_url_by_the_one_policy_of_the_plugin() throws Exception {
    start(false); // public https targets only
    String url = receiver.url("/hook"); // http://127.0.0.1:<port>/hook

    HttpResponse<String> refused =
        call("POST", "/api/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"job.*\"]}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    String rule = JSON.readTree(refused.body()).get("errors").get(0).get("code").asString();
    assertThat(rule).isEqualTo("https_required");

    Webhook stored = taskflow.webhooks().create(url, List.of("job.*"), null, null, null, Map.of());
    Job delivery = sendTest(stored.id().toString());
    taskflow.runDueJobs();

    assertThat(receiver.received).isEmpty();
    assertThat(job(delivery).errors().getLast().message())
        .contains("refused at delivery (" + rule + ")");
  }

  @Test
  void a_matching_job_event_is_delivered_as_the_event_envelope() throws Exception {
    start(true);
    JsonNode hook = register("/events");
    Job job = taskflow.enqueue(dev.taskflow.JobRequest.of("demo.echo", "{\"n\":1}")).job();
    taskflow.start();

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(receiver.received)
                    .extracting(r -> JSON.readTree(r.body()).get("type").asString())
                    .contains("job.completed"));
    JsonNode completed =
        receiver.received.stream()
            .map(r -> JSON.readTree(r.body()))
            .filter(n -> n.get("type").asString().equals("job.completed"))
            .findFirst()
            .orElseThrow();
    assertThat(completed.get("jobId").asString()).isEqualTo(job.id().toString());
    assertThat(hook.get("id").asString()).isNotEmpty();
  }

  @Test
  void the_default_schedule_keeps_trying_for_more_than_a_day_even_at_the_shortest_jitter() {
    WebhookDelivery.Options o = WebhookDelivery.Options.defaults();
    RetryPolicy p = o.retry();
    // The worst case, computed here from the schedule's definition (5 s doubling, capped at 10 h,
    // each wait at least half its ceiling), not from the policy's own arithmetic.
    Duration worst = Duration.ZERO;
    for (int failed = 1; failed < o.maxAttempts(); failed++) {
      long ceilingMs = Math.min(Duration.ofHours(10).toMillis(), 5_000L << (failed - 1));
      worst = worst.plusMillis(ceilingMs / 2);
    }

    assertThat(o.maxAttempts()).isEqualTo(20);
    assertThat(worst).isGreaterThanOrEqualTo(Duration.ofHours(24));
    assertThat(p.minSpan(o.maxAttempts())).isEqualTo(worst);
    for (int failed = 1; failed < o.maxAttempts(); failed++) {
      assertThat(p.minDelay(failed)).isEqualTo(p.ceiling(failed).dividedBy(2));
    }
    // the job default stays full jitter
    assertThat(RetryPolicy.DEFAULT.minJitter()).isZero();
  }

  @Test
  void a_429_with_retry_after_seconds_sets_the_next_try() throws Exception {
    start(true);
    JsonNode hook = register("/throttled");
    receiver.answer(429, Map.of("Retry-After", "90"));
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.scheduledAt()).isEqualTo(clock.instant().plusSeconds(90));
    assertThat(lastAttempt(hook).get("outcome").asString()).isEqualTo("retry_after");
    assertThat(lastAttempt(hook).get("status").asInt()).isEqualTo(429);
    receiver.answer(204, Map.of());
    clock.advance(Duration.ofSeconds(90));
    taskflow.runDueJobs();
    assertThat(job(delivery).state()).isEqualTo(JobState.COMPLETED);
    assertThat(receiver.received).hasSize(2);
  }

  @Test
  void a_429_with_retry_after_as_an_http_date_sets_the_next_try() throws Exception {
    start(true);
    JsonNode hook = register("/throttled");
    Instant at = clock.instant().plus(Duration.ofMinutes(7));
    receiver.answer(
        429,
        Map.of(
            "Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC))));
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.scheduledAt()).isEqualTo(at);
  }

  @Test
  void a_retry_after_longer_than_the_cap_waits_only_the_cap() throws Exception {
    start(true);
    JsonNode hook = register("/throttled");
    assertThat(WebhookDelivery.DEFAULT_MAX_RETRY_AFTER).isEqualTo(Duration.ofHours(6));
    receiver.answer(429, Map.of("Retry-After", Long.toString(Duration.ofDays(3).toSeconds())));
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    assertThat(job(delivery).scheduledAt()).isEqualTo(clock.instant().plus(Duration.ofHours(6)));
    assertThat(lastAttempt(hook).get("detail").asString()).contains("PT6H");
  }

  @Test
  void a_receiver_that_never_answers_fails_the_attempt_with_a_timeout_and_is_tried_again()
      throws Exception {
    start(true, o -> o.withTimeout(Duration.ofMillis(300)));
    JsonNode hook = register("/slow");
    receiver.hang();
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    Job now = job(delivery);
    assertThat(receiver.received).hasSize(1);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.errors().getLast().message()).contains("no response within 300 ms");
    JsonNode attempt = lastAttempt(hook);
    assertThat(attempt.get("outcome").asString()).isEqualTo("timeout");
    assertThat(attempt.get("status").isNull()).isTrue();
    assertThat(attempt.get("durationMs").asLong()).isEqualTo(300);
    assertThat(attempt.get("detail").asString()).contains("no response within 300 ms");

    receiver.answer(204, Map.of());
    clock.advance(WebhookDelivery.DEFAULT_RETRY.ceiling(1));
    taskflow.runDueJobs();
    assertThat(job(delivery).state()).isEqualTo(JobState.COMPLETED);
    assertThat(receiver.received).hasSize(2);
    assertThat(receiver.received.get(1).header("webhook-id"))
        .isEqualTo(receiver.received.get(0).header("webhook-id"));
  }

  @Test
  void the_timeout_is_validated() {
    WebhookDelivery.Options o = WebhookDelivery.Options.defaults();
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.withTimeout(Duration.ofSeconds(2)).timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> o.withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> o.withTimeout(Duration.ofMinutes(6))).hasMessageContaining("PT6M");
  }

  @Test
  void deliveries_show_the_duration_and_the_start_of_the_response_body() throws Exception {
    start(true);
    JsonNode hook = register("/verbose");
    receiver.answer(200, Map.of(), "x".repeat(2000));
    sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    JsonNode attempt = lastAttempt(hook);
    assertThat(attempt.get("outcome").asString()).isEqualTo("delivered");
    assertThat(attempt.get("durationMs").isIntegralNumber()).isTrue();
    assertThat(attempt.get("durationMs").asLong()).isNotNegative();
    String body = attempt.get("responseBody").asString();
    assertThat(WebhookSender.MAX_BODY_CHARS).isEqualTo(512);
    assertThat(body).hasSize(512 + 1).isEqualTo("x".repeat(512) + "…");
  }

  @Test
  void filters_select_events_a_custom_event_reaches_its_subscriber_and_an_inactive_hook_gets_none()
      throws Exception {
    start(true);
    JsonNode all = register("/all", "\"events\":[\"job.completed\"]");
    JsonNode emails = register("/emails", "\"events\":[\"job.completed\"],\"queue\":\"emails\"");
    JsonNode other =
        register("/other", "\"events\":[\"job.completed\"],\"jobType\":\"demo.other\"");
    JsonNode alice = register("/alice", "\"events\":[\"job.completed\"],\"owner\":\"alice\"");
    JsonNode custom = register("/custom", "\"events\":[\"embedding.completed\"]");
    JsonNode prefix = register("/prefix", "\"events\":[\"embedding.*\"]");
    JsonNode inactive = register("/inactive", "\"events\":[\"job.*\"],\"active\":false");
    assertThat(inactive.get("active").asBoolean()).isFalse();

    Job inEmails = enqueue("demo.echo", EnqueueOptions.defaults().queue("emails").owner("bob"));
    Job otherType = enqueue("demo.other", EnqueueOptions.defaults().owner("bob"));
    Job ofAlice = enqueue("demo.echo", EnqueueOptions.defaults().owner("alice"));
    Job plain = enqueue("demo.echo", EnqueueOptions.defaults().owner("bob"));
    Job emitter = enqueue("demo.emit", EnqueueOptions.defaults().owner("bob"));
    taskflow.start();

    // 5 completions to /all, 1 each to /emails, /other, /alice, /custom, /prefix
    int expected = 10;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<Job> d =
                  taskflow.list(JobQuery.all().type(WebhookDelivery.JOB_TYPE).limit(100)).items();
              return d.size() >= expected
                  && d.stream().allMatch(j -> j.state() == JobState.COMPLETED);
            });

    assertThat(receivedJobIds("/all"))
        .containsExactlyInAnyOrder(ids(inEmails, otherType, ofAlice, plain, emitter));
    assertThat(receivedJobIds("/emails")).containsExactly(ids(inEmails));
    assertThat(receivedJobIds("/other")).containsExactly(ids(otherType));
    assertThat(receivedJobIds("/alice")).containsExactly(ids(ofAlice));
    for (String path : List.of("/custom", "/prefix")) {
      List<JsonNode> got = receivedAt(path);
      assertThat(got).as(path).hasSize(1);
      assertThat(got.getFirst().get("type").asString()).isEqualTo("embedding.completed");
      assertThat(got.getFirst().get("jobId").asString()).isEqualTo(emitter.id().toString());
      assertThat(got.getFirst().get("data").get("chunks").asInt()).isEqualTo(3);
    }
    assertThat(receivedAt("/inactive")).isEmpty();
    assertThat(deliveries(inactive)).isEmpty();
    assertThat(deliveries(all)).hasSize(5);
    for (JsonNode hook : List.of(emails, other, alice, custom, prefix)) {
      assertThat(deliveries(hook)).hasSize(1);
    }
    assertThat(receiver.received).hasSize(expected);
  }

  @Test
  void a_delivery_connects_to_the_address_that_was_checked_and_never_resolves_again()
      throws Exception {
    AtomicReference<String> dns = new AtomicReference<>("127.0.0.1");
    List<String> lookups = new CopyOnWriteArrayList<>();
    WebhookResolver flipping =
        host -> {
          if (!host.equals("pinned.test")) throw new UnknownHostException(host);
          // every lookup after the first answers 127.0.0.2, where nothing listens
          String answer = dns.getAndSet("127.0.0.2");
          lookups.add(answer);
          return List.of(InetAddress.getByName(answer));
        };
    start(true, o -> o.withPolicy(o.policy().withResolver(flipping)));
    Webhook hook =
        taskflow
            .webhooks()
            .create(
                "http://pinned.test:" + receiver.port() + "/hook",
                List.of("job.*"),
                null,
                null,
                null,
                Map.of());

    Job first = sendTest(hook.id().toString());
    taskflow.runDueJobs();

    assertThat(job(first).state()).isEqualTo(JobState.COMPLETED);
    assertThat(lookups).containsExactly("127.0.0.1"); // the check's lookup, and no other
    assertThat(receiver.received).hasSize(1);
    assertThat(receiver.received.getFirst().header("host"))
        .isEqualTo("pinned.test:" + receiver.port());

    // The next check answers 127.0.0.2: the connection kept from the first delivery (to 127.0.0.1)
    // must not be reused, so this delivery fails to connect instead of reaching the receiver.
    Job second = sendTest(hook.id().toString());
    taskflow.runDueJobs();

    assertThat(lookups).containsExactly("127.0.0.1", "127.0.0.2");
    assertThat(receiver.received).hasSize(1);
    Job now = job(second);
    assertThat(now.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(now.errors().getLast().message()).contains("pinned.test");
    JsonNode attempts = deliveries(JSON.readTree("{\"id\":\"" + hook.id() + "\"}"));
    assertThat(attempts.get(0).get("attempts").get(0).get("outcome").asString()).isEqualTo("error");
  }

  @Test
  void a_name_that_rebinds_to_loopback_after_registration_is_refused_before_any_connection()
      throws Exception {
    // Deliveries with the private-target option off; the name now answers 127.0.0.1.
    start(
        false,
        o ->
            o.withPolicy(
                o.policy().withResolver(host -> List.of(InetAddress.getByName("127.0.0.1")))));
    Webhook hook =
        taskflow
            .webhooks()
            .create("https://rebind.test/hook", List.of("job.*"), null, null, null, Map.of());

    Job delivery = sendTest(hook.id().toString());
    taskflow.runDueJobs();

    assertThat(receiver.received).isEmpty();
    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.FAILED);
    assertThat(now.errors().getLast().message())
        .contains("refused at delivery (loopback_address)")
        .contains("127.0.0.1");
  }

  private Job enqueue(String type, EnqueueOptions options) {
    return taskflow.enqueue(new JobRequest(type, "{}", options)).job();
  }

  private List<JsonNode> receivedAt(String path) {
    return receiver.received.stream()
        .filter(r -> r.path().equals(path))
        .map(r -> JSON.readTree(r.body()))
        .toList();
  }

  private List<String> receivedJobIds(String path) {
    return receivedAt(path).stream().map(n -> n.get("jobId").asString()).toList();
  }

  private static String[] ids(Job... jobs) {
    return java.util.Arrays.stream(jobs).map(j -> j.id().toString()).toArray(String[]::new);
  }
}
