package dev.taskflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook API with the private-target and http options OFF (the defaults), and a fake DNS (the
 * resolver seam of {@link WebhookPolicy}) so host names that resolve to internal addresses are
 * judged without real DNS.
 */
class WebhookApiTest {
  /** Names the fake DNS knows; IP literals resolve to themselves, anything else does not. */
  private static final Map<String, String> DNS =
      Map.of(
          "rebind.test", "127.0.0.1",
          "metadata.test", "169.254.169.254",
          "intranet.test", "10.1.2.3",
          "public.test", "93.184.216.34");

  static List<InetAddress> fakeDns(String host) throws UnknownHostException {
    String address = DNS.get(host);
    if (address != null) return List.of(InetAddress.getByName(address));
    if (host.contains(":") || host.matches("[0-9.]+")) { // a literal: no lookup happens
      return List.of(InetAddress.getAllByName(host));
    }
    throw new UnknownHostException(host);
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private TaskFlow taskflow;
  private WebhookDelivery delivery;
  private TaskFlowWeb web;

  @BeforeEach
  void start() {
    TaskFlowBuilder b = TaskFlow.builder().storage(new InMemoryStorage());
    delivery =
        Deliveries.installed(
            b,
            WebhookDelivery.Options.defaults()
                .withPolicy(WebhookPolicy.defaults().withResolver(WebhookApiTest::fakeDns)));
    taskflow = b.build();
    web = TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build(), delivery).start();
  }

  @AfterEach
  void stop() {
    web.close();
    delivery.close();
    taskflow.close();
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

  @Test
  void row14_a_patch_with_null_removes_optional_fields_and_is_refused_for_required_ones()
      throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"https://public.test/x\",\"events\":[\"job.failed\"],"
                + "\"queue\":\"q\",\"owner\":\"o\",\"headers\":{\"X-A\":\"1\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String path = "/api/v1/webhooks/" + JSON.readTree(created.body()).path("id").asString();

    for (String field : List.of("url", "events", "active")) {
      HttpResponse<String> r = call("PATCH", path, "{\"" + field + "\":null}");
      assertThat(r.statusCode()).as(field + " → " + r.body()).isEqualTo(422);
      JsonNode e = JSON.readTree(r.body()).get("errors").get(0);
      assertThat(e.path("pointer").asString()).isEqualTo("/" + field);
      assertThat(e.path("code").asString()).isEqualTo("required");
    }
    HttpResponse<String> cleared =
        call("PATCH", path, "{\"queue\":null,\"owner\":null,\"headers\":null}");
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    JsonNode w = JSON.readTree(call("GET", path, null).body());
    assertThat(w.path("queue").isNull() || w.path("queue").isMissingNode())
        .as(w.toString())
        .isTrue();
    assertThat(w.path("owner").isNull() || w.path("owner").isMissingNode())
        .as(w.toString())
        .isTrue();
    assertThat(w.path("headers").isEmpty()).as(w.toString()).isTrue();
    assertThat(w.path("active").asBoolean()).isTrue();
    assertThat(w.path("url").asString()).isEqualTo("https://public.test/x");
  }

  private JsonNode refused(String body) throws Exception {
    HttpResponse<String> r = call("POST", "/api/v1/webhooks", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    return JSON.readTree(r.body()).get("errors").get(0);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://rebind.test/hook, loopback_address",
    "https://rebind.test:8443/hook, loopback_address",
    "https://metadata.test/latest/meta-data, link_local_address",
    "https://intranet.test/hook, private_address",
    "https://nowhere.test/hook, unresolvable_host",
    "https://localhost/hook, private_host_name",
    "https://169.254.169.254/latest/meta-data, link_local_address",
    "https://10.0.0.5/hook, private_address",
    "https://192.168.1.1/hook, private_address",
    "https://172.16.0.1/hook, private_address",
    "https://100.64.0.1/hook, cgnat_address",
    "https://127.0.0.1:8443/hook, loopback_address",
    "https://[::1]/hook, loopback_address",
    "https://[::ffff:127.0.0.1]/hook, ipv4_mapped_address",
    "https://[fd00::1]/hook, unique_local_address",
    "https://[fe80::1]/hook, link_local_address",
    "https://0.0.0.0/hook, unspecified_address",
    "https://224.0.0.1/hook, multicast_address",
    "https://user:secret@example.com/hook, userinfo_not_allowed",
    "https://user@example.com/hook, userinfo_not_allowed",
    "http://example.com/hook, https_required",
    "ftp://example.com/hook, malformed_url",
    "not a url, malformed_url",
    "https:///x, malformed_url",
    "https://0x7f.1/hook, malformed_url",
    "https://127.1/hook, malformed_url",
    "https://0177.0.0.1/hook, malformed_url",
    "https://10.0.0.010/hook, malformed_url",
    "https://localhost./hook, private_host_name",
    "https://x.internal./hook, private_host_name",
    "https://public.test:99999/hook, malformed_url",
    "https://public.test:0/hook, malformed_url",
  })
  void an_unsafe_url_is_refused_with_its_rule(String url, String code) throws Exception {
    JsonNode e = refused("{\"url\":\"" + url + "\",\"events\":[\"job.failed\"]}");

    assertThat(e.get("pointer").asString()).isEqualTo("/url");
    assertThat(e.get("code").asString()).isEqualTo(code);
  }

  @Test
  void a_host_name_that_resolves_to_a_public_address_is_accepted_through_the_same_resolver()
      throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"https://public.test/hook\",\"events\":[\"job.failed\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode refused =
        refused("{\"url\":\"https://rebind.test/hook\",\"events\":[\"job.failed\"]}");
    assertThat(refused.get("message").asString()).contains("127.0.0.1");
  }

  @Test
  void a_url_with_an_empty_host_is_refused_on_create_and_on_change() throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"]}");
    String id = JSON.readTree(created.body()).get("id").asString();

    HttpResponse<String> r = call("PATCH", "/api/v1/webhooks/" + id, "{\"url\":\"https:///x\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode e = JSON.readTree(r.body()).get("errors").get(0);
    assertThat(e.get("pointer").asString()).isEqualTo("/url");
    assertThat(e.get("code").asString()).isEqualTo("malformed_url");
    assertThat(taskflow.webhooks().get(java.util.UUID.fromString(id)).orElseThrow().url())
        .isEqualTo("https://93.184.216.34/h");
  }

  @Test
  void a_url_longer_than_the_limit_is_refused() throws Exception {
    String url = "https://example.com/" + "a".repeat(WebhookUrlGuard.MAX_URL_LENGTH);
    assertThat(refused("{\"url\":\"" + url + "\",\"events\":[\"job.*\"]}").get("code").asString())
        .isEqualTo("url_too_long");
  }

  @Test
  void a_host_name_that_resolves_to_loopback_is_refused_and_every_address_is_judged() {
    WebhookUrlGuard guard =
        new WebhookUrlGuard(
            WebhookPolicy.defaults()
                .withResolver(
                    host -> {
                      if (!host.equals("rebind.example.com")) throw new UnknownHostException(host);
                      return List.of(
                          InetAddress.getByName("93.184.216.34"),
                          InetAddress.getByName("127.0.0.1"));
                    }));

    assertThatThrownBy(() -> guard.check("https://rebind.example.com/hook"))
        .isInstanceOfSatisfying(
            WebhookUrlGuard.Refused.class, r -> assertThat(r.code()).isEqualTo("loopback_address"))
        .hasMessageContaining("127.0.0.1");
    assertThatThrownBy(() -> guard.check("https://nowhere.example.com/hook"))
        .isInstanceOfSatisfying(
            WebhookUrlGuard.Refused.class,
            r -> assertThat(r.code()).isEqualTo("unresolvable_host"));
  }

  @Test
  void localhost_resolves_to_loopback_and_is_refused_even_past_the_name_rule() throws Exception {
    assertThat(InetAddress.getAllByName("localhost")).allMatch(a -> a.isLoopbackAddress());
    for (InetAddress a : InetAddress.getAllByName("localhost")) {
      assertThat(WebhookUrlGuard.forbidden(a)).isEqualTo("loopback_address");
    }
  }

  @Test
  void unknown_event_patterns_and_bad_headers_are_refused_each_with_its_rule() throws Exception {
    assertThat(
            refused("{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.exploded\"]}")
                .get("code")
                .asString())
        .isEqualTo("unknown_event");
    assertThat(
            refused(
                    "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"],"
                        + "\"headers\":{\"Host\":\"internal\"}}")
                .get("code")
                .asString())
        .isEqualTo("forbidden_header");
    assertThat(
            refused(
                    "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"],"
                        + "\"headers\":{\"webhook-id\":\"x\"}}")
                .get("code")
                .asString())
        .isEqualTo("forbidden_header");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < WebhookRoutes.MAX_HEADERS + 1; i++) {
      many.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
    }
    assertThat(
            refused(
                    "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"],\"headers\":{"
                        + many
                        + "}}")
                .get("code")
                .asString())
        .isEqualTo("too_many_headers");
    assertThat(
            refused(
                    "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"],"
                        + "\"headers\":{\"X-Big\":\""
                        + "v".repeat(WebhookRoutes.MAX_HEADER_VALUE + 1)
                        + "\"}}")
                .get("code")
                .asString())
        .isEqualTo("header_too_large");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "headers differing only in case | \"headers\":{\"X-A\":\"1\",\"x-a\":\"2\"}"
            + " | /headers/x-a | duplicate_header",
        "a header value beyond Latin-1 | \"headers\":{\"X-A\":\"\u20ac\"}"
            + " | /headers/X-A | header_value",
        "a Latin-1 header value | \"headers\":{\"X-A\":\"caf\u00e9\"}"
            + " | /headers/X-A | header_value",
        "a C1 control in a header value | \"headers\":{\"X-A\":\"a\u0085\"}"
            + " | /headers/X-A | header_value",
        "a queue filter no job can have | \"queue\":\"no spaces!\" | /queue | pattern",
        "a jobType filter no job can have | \"jobType\":\"a/b\" | /jobType | pattern",
        "an owner filter with a control character | \"owner\":\"a\\u0007b\""
            + " | /owner | control_character",
        "an event listed twice | \"events\":[\"job.failed\",\"job.failed\"]"
            + " | /events/1 | duplicate",
      })
  void a_webhook_body_that_could_never_be_sent_or_never_match_is_refused(
      String name, String fields, String pointer, String code) throws Exception {
    String body =
        fields.startsWith("\"events\"")
            ? "{\"url\":\"https://93.184.216.34/h\"," + fields + "}"
            : "{\"url\":\"https://93.184.216.34/h\",\"events\":[\"job.*\"]," + fields + "}";

    HttpResponse<String> r = call("POST", "/api/v1/webhooks", body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(JSON.readTree(r.body()).get("errors"))
        .anySatisfy(
            e -> {
              assertThat(e.get("pointer").asString()).isEqualTo(pointer);
              assertThat(e.get("code").asString()).isEqualTo(code);
            });
    assertThat(taskflow.webhooks().list(null, 10).items()).isEmpty();
  }

  @Test
  void custom_event_types_and_prefixes_are_known_patterns() {
    assertThat(WebhookRoutes.knownPattern("embedding.completed")).isTrue();
    assertThat(WebhookRoutes.knownPattern("workflow.*")).isTrue();
    assertThat(WebhookRoutes.knownPattern("job.failed")).isTrue();
    assertThat(WebhookRoutes.knownPattern("job.*")).isTrue();
    assertThat(WebhookRoutes.knownPattern("job.awaiting")).isTrue();
    assertThat(WebhookRoutes.knownPattern("batch.completed")).isTrue();
    assertThat(WebhookRoutes.knownPattern("batch.failed")).isTrue();
    assertThat(WebhookRoutes.knownPattern("batch.*")).isTrue();
    assertThat(WebhookRoutes.knownPattern("webhook.attempt")).isFalse();
    assertThat(WebhookRoutes.knownPattern("job.exploded")).isFalse();
    assertThat(WebhookRoutes.knownPattern("*")).isFalse();
    assertThat(WebhookRoutes.knownPattern("nodot")).isFalse();
  }

  @Test
  void a_webhook_is_created_read_changed_rotated_and_deleted() throws Exception {
    // a public IP literal: no DNS needed, and the guard lets it pass
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"job.failed\"],"
                + "\"queue\":\"emails\",\"headers\":{\"Authorization\":\"Bearer t\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode hook = JSON.readTree(created.body());
    String id = hook.get("id").asString();
    String secret = hook.get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/webhooks/" + id);

    JsonNode read = JSON.readTree(call("GET", "/api/v1/webhooks/" + id, null).body());
    assertThat(read.has("secret")).isFalse();
    assertThat(read.get("headers").get("Authorization").asString()).isEqualTo("***");

    JsonNode patched =
        JSON.readTree(
            call("PATCH", "/api/v1/webhooks/" + id, "{\"active\":false,\"events\":[\"job.*\"]}")
                .body());
    assertThat(patched.get("active").asBoolean()).isFalse();
    assertThat(patched.get("events").get(0).asString()).isEqualTo("job.*");
    assertThat(patched.get("queue").asString()).isEqualTo("emails");
    assertThat(
            call("PATCH", "/api/v1/webhooks/" + id, "{\"url\":\"https://10.0.0.1/\"}").statusCode())
        .isEqualTo(422);

    JsonNode rotated =
        JSON.readTree(call("POST", "/api/v1/webhooks/" + id + "/rotate-secret", null).body());
    assertThat(rotated.get("secret").asString()).startsWith("whsec_").isNotEqualTo(secret);
    assertThat(rotated.get("secrets").asInt()).isEqualTo(2);
    assertThat(taskflow.webhooks().get(java.util.UUID.fromString(id)).orElseThrow().secrets())
        .containsExactly(rotated.get("secret").asString(), secret);

    JsonNode list = JSON.readTree(call("GET", "/api/v1/webhooks", null).body());
    assertThat(list.get("items")).hasSize(1);

    assertThat(call("DELETE", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(404);
  }

  /**
   * {@code 1-1-1-1-1} is a UUID to {@link java.util.UUID#fromString} (0000001-0001-…): one strict
   * parser answers it on every kind of path alike, as no id, echoed as given.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /api/v1/jobs/1-1-1-1-1, job",
    "POST, /api/v1/jobs/1-1-1-1-1/cancel, job",
    "GET, /api/v1/batches/1-1-1-1-1, batch",
    "GET, /api/v1/webhooks/1-1-1-1-1, webhook",
    "DELETE, /api/v1/webhooks/1-1-1-1-1, webhook",
    "GET, /api/v1/webhooks/1-1-1-1-1/deliveries, webhook",
  })
  void a_short_form_uuid_is_no_id_on_a_job_a_batch_and_a_webhook_path_alike(
      String method, String path, String what) throws Exception {
    HttpResponse<String> r = call(method, path, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(r.body());
    JsonNode error = problem.get("errors").get(0);
    assertThat(error.get("parameter").asString()).isEqualTo("id");
    assertThat(error.get("code").asString()).isEqualTo("not_found");
    assertThat(problem.get("detail").asString())
        .isEqualTo(
            "no "
                + what
                + " with id '1-1-1-1-1': "
                + what
                + " ids are UUIDs such as 0190a4c2-7b1e-7c3d-8e9f-0a1b2c3d4e5f");
  }

  @Test
  void routes_mounted_without_the_delivery_installed_in_the_taskflow_answer_404_naming_it()
      throws Exception {
    try (TaskFlow bare = TaskFlow.builder().storage(new InMemoryStorage()).build();
        WebhookDelivery notInstalled = new WebhookDelivery(WebhookPolicy.defaults());
        TaskFlowWeb other =
            TaskFlowWeb.create(bare, WebConfig.builder().port(0).build(), notInstalled).start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + other.port() + "/api/v1/webhooks"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(404);
      JsonNode problem = JSON.readTree(r.body());
      assertThat(problem.get("errors").get(0).get("parameter").asString()).isEqualTo("path");
      assertThat(problem.get("detail").asString())
          .contains("webhooks are not available on this server", "WebhookDelivery plugin");
    }
  }

  @Test
  void on_a_store_without_webhooks_the_routes_answer_501_naming_the_feature() throws Exception {
    TaskFlowBuilder b =
        TaskFlow.builder()
            .storage(
                new dev.taskflow.memory.CoreOnlyStorage(
                    new InMemoryStorage(java.time.Clock.systemUTC())));
    WebhookDelivery coreOnly = Deliveries.installed(b, WebhookDelivery.Options.defaults());
    try (TaskFlow tf = b.build().start();
        TaskFlowWeb w =
            TaskFlowWeb.create(tf, WebConfig.builder().port(0).build(), coreOnly).start()) {
      for (String[] call :
          List.of(
              new String[] {"GET", null},
              new String[] {
                "POST", "{\"url\":\"https://example.com/h\",\"events\":[\"job.*\"]}"
              })) {
        HttpRequest.Builder r =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.port() + "/api/v1/webhooks"))
                .header("Content-Type", "application/json");
        r.method(
            call[0],
            call[1] == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call[1]));
        HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(call[0] + " " + res.body()).isEqualTo(501);
        JsonNode p = JSON.readTree(res.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:taskflow:problem:feature-unsupported");
        assertThat(p.path("feature").asString()).isEqualTo("webhooks");
      }
    } finally {
      coreOnly.close();
    }
  }
}
