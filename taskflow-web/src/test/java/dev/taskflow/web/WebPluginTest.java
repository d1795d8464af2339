package dev.taskflow.web;

import static io.javalin.http.HandlerType.GET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Routes contributed by plugins, and what the API answers where an absent plugin would serve. */
class WebPluginTest {

  /** A plugin with a JSON route that works, one that refuses, and a page outside the API. */
  private static final WebPlugin HELLO =
      web -> {
        web.api(GET, "/hello", ctx -> web.json().send(ctx, 200, web.json().object().put("hi", 1)));
        web.api(
            GET,
            "/refuse",
            ctx -> {
              throw Problem.invalid(FieldError.param("x", "type", "x is not what was hoped for"));
            });
        web.routes().get("/page", ctx -> ctx.html("<p>page</p>"));
      };

  @Test
  void a_plugins_api_routes_answer_failures_as_problems_and_are_counted_in_metrics() {
    try (TestServer server = TestServer.start(c -> {}, HELLO)) {
      TestServer.Response hello = server.get("/api/v1/hello");
      TestServer.Response refused = server.get("/api/v1/refuse");
      TestServer.Response page = server.get("/page");

      assertThat(hello.status()).isEqualTo(200);
      assertThat(hello.json().get("hi").asInt()).isEqualTo(1);
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().get("errors").get(0).get("parameter").asString()).isEqualTo("x");
      assertThat(page.body()).isEqualTo("<p>page</p>");
      assertThat(server.get("/metrics").body())
          .contains(
              "taskflow_http_requests_total{method=\"GET\",route=\"/api/v1/hello\",status=\"200\"} 1",
              "taskflow_http_requests_total{method=\"GET\",route=\"/api/v1/refuse\",status=\"422\"} 1");
    }
  }

  @Test
  void a_plugins_routes_pages_included_run_behind_the_browser_guard() {
    try (TestServer server = TestServer.start(c -> {}, HELLO)) {
      int port = server.web.port();
      for (String path : List.of("/api/v1/hello", "/page")) {
        RawHttp.Response foreign = RawHttp.send(port, "GET", path, null, "Host: attacker.example");
        RawHttp.Response crossOrigin =
            RawHttp.send(
                port, "GET", path, null, "Host: 127.0.0.1:" + port, "Origin: https://evil.example");
        assertThat(foreign.status()).as(path).isEqualTo(421);
        assertThat(crossOrigin.status()).as(path).isEqualTo(403);
      }
    }
  }

  @Test
  void without_the_webhook_plugin_its_routes_answer_404_naming_the_missing_plugin() {
    try (TestServer server = TestServer.start()) {
      for (TestServer.Response r :
          List.of(
              server.get("/api/v1/webhooks"),
              server.post("/api/v1/webhooks", "{\"url\":\"https://example.com/h\"}"),
              server.get("/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries"))) {
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode error = r.json().get("errors").get(0);
        assertThat(error.get("parameter").asString()).isEqualTo("path");
        assertThat(r.json().get("detail").asString())
            .isEqualTo(
                "webhooks are not available on this server: it needs the WebhookDelivery plugin"
                    + " (TaskFlowBuilder.plugin; the taskflow server installs it)");
      }
      assertThat(server.get("/api/v1/webhookz").json().get("detail").asString())
          .startsWith("no route GET /api/v1/webhookz");
    }
  }

  @Test
  void a_plugins_streams_count_as_open_and_the_plugin_hears_when_the_server_stops() {
    AtomicInteger stopped = new AtomicInteger();
    WebPlugin streaming =
        web -> {
          web.openStreams(() -> 3);
          web.onStop(stopped::incrementAndGet);
        };
    TestServer server = TestServer.start(c -> {}, streaming);

    assertThat(server.web.openStreams()).isEqualTo(3);
    server.close();
    assertThat(stopped.get()).isEqualTo(1);
  }
}
