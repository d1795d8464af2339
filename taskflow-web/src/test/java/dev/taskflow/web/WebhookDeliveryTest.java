package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    receiver = new WebhookReceiver();
    TaskFlow.Builder b =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .worker("demo.echo", JsonNode.class, (args, ctx) -> args);
    delivery =
        WebhookDelivery.install(
            b,
            WebhookDelivery.Options.defaults()
                .withAllowHttp(deliverToPrivate)
                .withAllowPrivateTargets(deliverToPrivate)
                .withPollInterval(Duration.ofMillis(100))
                .withClock(clock));
    taskflow = b.build();
    delivery.bind(taskflow);
    web =
        TaskFlowWeb.create(
                taskflow,
                WebConfig.builder()
                    .port(0)
                    .dashboard(false)
                    .allowHttpWebhooks(true)
                    .allowPrivateWebhookTargets(true)
                    .build())
            .start();
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
    HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"job.*\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
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
      Duration wait = Duration.between(clock.instant(), now.scheduledAt());
      Duration ceiling = WebhookDelivery.DEFAULT_RETRY.ceiling(attempt);
      assertThat(wait).isBetween(Duration.ZERO, ceiling);
      clock.advance(ceiling);
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
    start(false); // the API accepts loopback http URLs, the deliverer does not
    JsonNode hook = register("/hook");
    Job delivery = sendTest(hook.get("id").asString());

    taskflow.runDueJobs();

    assertThat(receiver.received).isEmpty();
    Job now = job(delivery);
    assertThat(now.state()).isEqualTo(JobState.FAILED);
    assertThat(now.errors().getLast().message()).contains("refused at delivery");
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
}
