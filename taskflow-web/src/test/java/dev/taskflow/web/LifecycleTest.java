package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Configuration, mounting on an application's Javalin, and behaviour when the store is down. */
class LifecycleTest {

  @Test
  void the_defaults_bind_loopback_with_the_documented_limits() {
    WebConfig c = WebConfig.defaults();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(c.maxJsonDepth()).isEqualTo(64);
    assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void a_bad_setting_is_refused_with_its_name_and_value() {
    assertThatThrownBy(() -> WebConfig.builder().port(70000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port")
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> WebConfig.builder().maxBodyBytes(100).build())
        .hasMessageContaining("maxBodyBytes");
  }

  @Test
  void the_api_refuses_args_beyond_the_engines_own_limit_with_the_engines_number()
      throws Exception {
    try (TaskFlow taskflow =
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
                .maxArgsBytes(1024)
                .build();
        TaskFlowWeb web = TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build())) {
      web.start();
      HttpClient http = HttpClient.newHttpClient();
      String big = "{\"type\":\"demo.echo\",\"args\":{\"s\":\"" + "x".repeat(1100) + "\"}}";
      String small = "{\"type\":\"demo.echo\",\"args\":{\"s\":\"" + "x".repeat(900) + "\"}}";

      HttpResponse<String> refused = post(http, web, big);
      HttpResponse<String> accepted = post(http, web, small);

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      assertThat(refused.body())
          .contains("\"pointer\":\"/args\"", "\"code\":\"max_size\"", "the limit is 1024");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    }
  }

  private static HttpResponse<String> post(HttpClient http, TaskFlowWeb web, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_down_store_answers_503_on_health_and_a_problem_on_the_api() {
    try (TestServer server = TestServer.start()) {
      server.stopTaskFlow();

      TestServer.Response health = server.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asString()).isEqualTo("unavailable");

      TestServer.Response list = server.get("/api/v1/jobs");
      assertThat(list.status()).isEqualTo(503);
      assertThat(list.contentType()).startsWith("application/problem+json");
      assertThat(list.header("Retry-After")).isEqualTo("5");
      assertThat(list.body()).doesNotContain("closed", "\tat ");
    }
  }

  @Test
  void the_api_mounts_on_an_applications_own_javalin() throws Exception {
    try (TaskFlow taskflow =
            TaskFlow.builder()
                .storage(new InMemoryStorage())
                .worker("demo.echo", JsonNode.class, (args, ctx) -> args)
                .build()
                .start();
        TaskFlowWeb web = TaskFlowWeb.create(taskflow)) {
      Javalin app =
          Javalin.create(
              cfg -> {
                cfg.concurrency.useVirtualThreads = true;
                cfg.startup.showJavalinBanner = false;
                web.mount(cfg);
                cfg.routes.get("/hello", ctx -> ctx.result("hi"));
              });
      app.start("127.0.0.1", 0);
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + app.port());

        HttpResponse<String> jobs =
            http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> hello =
            http.send(
                HttpRequest.newBuilder(base.resolve("/hello")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(jobs.body()).contains("\"items\":[]");
        assertThat(hello.body()).isEqualTo("hi");
      } finally {
        app.stop();
      }
    }
  }
}
