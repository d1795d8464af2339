package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard over plain HTTP: headers, CSRF, read-only mode, escaping. */
class DashboardSecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern META_TOKEN =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([A-Za-z0-9_-]*)\">");
  private static final String XSS = "<script>alert('xss')</script>";

  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void every_page_sends_a_strict_csp_and_a_server_timing_and_has_no_inline_script_or_style() {
    server = DashboardServer.start();
    String id = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":1}}");

    for (String path :
        List.of("/", "/queues", "/jobs", "/jobs?state=failed", "/servers", "/jobs/" + id)) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'");
      assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(r.headers().firstValue("Server-Timing").orElseThrow()).startsWith("render;dur=");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.body()).as(path).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
      assertThat(r.body()).as(path).doesNotContain(" style=", "<style", " onclick=", " onload=");
    }
  }

  @Test
  void a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    server = DashboardServer.start();
    String id = failedJob();
    Session s = session();

    HttpResponse<String> noToken =
        server.send(form("/jobs/" + id + "/retry", "").header("Cookie", s.cookie()).build());
    HttpResponse<String> noCookie =
        server.send(form("/jobs/" + id + "/retry", "_csrf=" + s.token()).build());
    HttpResponse<String> wrongToken =
        server.send(
            form("/jobs/" + id + "/retry", "_csrf=" + s.token().replace('A', 'B') + "x")
                .header("Cookie", s.cookie())
                .build());

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF token");
    assertThat(noCookie.statusCode()).isEqualTo(403);
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(server.state(id)).isEqualTo("failed");
  }

  @Test
  void a_cross_site_post_is_refused_even_with_the_token() {
    server = DashboardServer.start();
    String id = failedJob();
    Session s = session();

    HttpResponse<String> crossSite =
        server.send(
            form("/jobs/" + id + "/retry", "_csrf=" + s.token())
                .header("Cookie", s.cookie())
                .header("Sec-Fetch-Site", "cross-site")
                .build());
    HttpResponse<String> otherOrigin =
        server.send(
            form("/jobs/" + id + "/retry", "_csrf=" + s.token())
                .header("Cookie", s.cookie())
                .header("Origin", "https://evil.example")
                .build());

    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(server.state(id)).isEqualTo("failed");
  }

  @Test
  void a_same_origin_post_with_the_token_retries_the_job() {
    server = DashboardServer.start();
    String id = failedJob();
    Session s = session();

    HttpResponse<String> r =
        server.send(
            form("/jobs/" + id + "/retry", "_csrf=" + s.token())
                .header("Cookie", s.cookie())
                .header("Sec-Fetch-Site", "same-origin")
                .header("Origin", server.base.toString())
                .build());

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).contains("/jobs/" + id + "?done=retried");
    await().atMost(WAIT).until(() -> server.job(id).get("attempt").asInt() == 2);
  }

  @Test
  void the_token_also_works_as_a_header_for_scripted_requests() {
    server = DashboardServer.start();
    String id = failedJob();
    Session s = session();

    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.base.resolve("/jobs/" + id + "/delete"))
                .header("Cookie", s.cookie())
                .header("X-CSRF-Token", s.token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(server.state(id)).isEqualTo("deleted");
  }

  @Test
  void a_read_only_dashboard_shows_no_action_and_refuses_every_post() {
    server = DashboardServer.start(DashboardPlugin.defaults().withReadOnly(true));
    String id = failedJob();

    HttpResponse<String> jobPage = server.get("/jobs/" + id);
    HttpResponse<String> queues = server.get("/queues");
    HttpResponse<String> jobs = server.get("/jobs?state=failed");
    assertThat(jobPage.body())
        .contains("demo.fail")
        .doesNotContain("action-retry", "<form method=\"post\"");
    assertThat(queues.body()).doesNotContain("<form method=\"post\"");
    assertThat(jobs.body()).contains(id).doesNotContain("bulk-selected", "type=\"checkbox\"");
    assertThat(jobPage.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> post =
        server.send(
            form("/jobs/" + id + "/retry", "_csrf=x")
                .header("Sec-Fetch-Site", "same-origin")
                .build());
    HttpResponse<String> pause =
        server.send(
            form("/queues/default/pause", "").header("Sec-Fetch-Site", "same-origin").build());

    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(post.body()).contains("read-only");
    assertThat(pause.statusCode()).isEqualTo(403);
    assertThat(server.state(id)).isEqualTo("failed");
  }

  @Test
  void script_in_tags_owner_args_search_and_errors_is_escaped() {
    server = DashboardServer.start();
    String id =
        server.enqueue(
            "{\"type\":\"demo.fail\",\"maxAttempts\":1,\"owner\":\"<b>o</b>\",\"tags\":[\""
                + XSS.replace("'", "\\u0027")
                + "\"],\"args\":{\"message\":\""
                + XSS.replace("'", "\\u0027")
                + "\"}}");
    await().atMost(WAIT).until(() -> server.state(id).equals("failed"));

    for (String path :
        List.of("/jobs/" + id, "/jobs", "/jobs?q=" + enc(XSS), "/jobs?tag=" + enc(XSS))) {
      String html = server.get(path).body();
      assertThat(html).as(path).doesNotContain(XSS, "<b>o</b>");
    }
    String detail = server.get("/jobs/" + id).body();
    assertThat(detail).contains("&lt;script&gt;alert(");
    assertThat(detail).contains("&lt;b&gt;o&lt;/b&gt;");
  }

  @Test
  void the_dashboard_can_be_switched_off_leaving_the_api() {
    server = DashboardServer.withoutDashboard();

    assertThat(server.get("/").statusCode()).isEqualTo(404);
    assertThat(server.get("/jobs").statusCode()).isEqualTo(404);
    assertThat(server.get("/api/v1/stats").statusCode()).isEqualTo(200);
  }

  @Test
  void an_unknown_job_is_a_404_page_and_a_bad_id_a_400() {
    server = DashboardServer.start();

    HttpResponse<String> unknown = server.get("/jobs/0190f3a2-7b1c-7def-8a12-3456789abcde");
    HttpResponse<String> bad = server.get("/jobs/not-an-id");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("0190f3a2-7b1c-7def-8a12-3456789abcde");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void only_listed_assets_are_served() {
    server = DashboardServer.start();

    assertThat(server.get("/assets/vendor/htmx.min.js").statusCode()).isEqualTo(200);
    assertThat(server.get("/assets/dashboard.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(server.get("/assets/../../../logback-test.xml").statusCode()).isIn(400, 404);
    assertThat(server.get("/assets/vendor/htmx.LICENSE").statusCode()).isEqualTo(404);
  }

  private String failedJob() {
    String id = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
    await().atMost(WAIT).until(() -> server.state(id).equals("failed"));
    return id;
  }

  @Test
  void row7_a_job_id_in_the_search_box_means_that_job_only_never_every_job() {
    server = DashboardServer.start();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(server.enqueue("{\"type\":\"demo.echo\",\"queue\":\"victim\",\"delay\":\"PT1H\"}"));
    }
    Session s = session();
    String unknown = "00000000-0000-0000-0000-000000000001";

    HttpResponse<String> list = server.get("/jobs?queue=victim&q=" + unknown);
    HttpResponse<String> bulkUnknown =
        server.send(
            form(
                    "/jobs/bulk",
                    "_csrf="
                        + s.token()
                        + "&action=cancel&scope=matching&queue=victim&q="
                        + unknown)
                .header("Cookie", s.cookie())
                .build());

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(ids.get(0), ids.get(1), ids.get(2));
    assertThat(bulkUnknown.statusCode()).isEqualTo(303);
    assertThat(ids).allSatisfy(id -> assertThat(server.state(id)).isEqualTo("scheduled"));

    HttpResponse<String> bulkOne =
        server.send(
            form(
                    "/jobs/bulk",
                    "_csrf="
                        + s.token()
                        + "&action=cancel&scope=matching&queue=victim&q="
                        + ids.get(1))
                .header("Cookie", s.cookie())
                .header("Sec-Fetch-Site", "same-origin")
                .build());

    assertThat(bulkOne.statusCode()).isEqualTo(303);
    assertThat(server.state(ids.get(1))).isEqualTo("cancelled");
    assertThat(server.state(ids.get(0))).isEqualTo("scheduled");
    assertThat(server.state(ids.get(2))).isEqualTo("scheduled");
  }

  @Test
  void row12_links_carry_owner_and_tag_values_url_encoded_as_one_filter_value() {
    server = DashboardServer.start();
    String id =
        server.enqueue(
            "{\"type\":\"demo.echo\",\"owner\":\"a&state=deleted#x\",\"tags\":[\"javascript:alert(1)\",\"a b\"]}");

    String page = server.get("/jobs/" + id).body();

    assertThat(page)
        .contains(
            "href=\"/jobs?owner=a%26state%3Ddeleted%23x\"",
            "href=\"/jobs?tag=javascript%3Aalert%281%29\"",
            "href=\"/jobs?tag=a+b\"",
            "href=\"/jobs?queue=default\"")
        .doesNotContain("href=\"/jobs?tag=\"", "owner=a&");
  }

  @Test
  void row14_a_bulk_form_over_the_limit_is_413_saying_so_and_changes_nothing() {
    server = DashboardServer.start();
    String id = failedJob();
    Session s = session();
    StringBuilder body = new StringBuilder("_csrf=" + s.token() + "&action=retry&id=" + id);
    while (body.length() <= Dashboard.MAX_FORM_BYTES) body.append("&id=").append(id);

    HttpResponse<String> r =
        server.send(
            form("/jobs/bulk", body.toString())
                .header("Cookie", s.cookie())
                .header("Sec-Fetch-Site", "same-origin")
                .build());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("the limit is 200000").doesNotContain("a job id is a UUID");
    assertThat(server.state(id)).isEqualTo("failed");
  }

  @Test
  void the_page_of_a_remotely_leased_job_never_shows_its_lease_token() throws Exception {
    try (dev.taskflow.TaskFlow taskflow =
            dev.taskflow.TaskFlow.builder()
                .storage(new dev.taskflow.memory.InMemoryStorage())
                .acceptTypes("py.wordcount")
                .build()
                .start();
        dev.taskflow.web.TaskFlowWeb web =
            dev.taskflow.web.TaskFlowWeb.create(
                    taskflow,
                    dev.taskflow.web.WebConfig.builder().port(0).build(),
                    DashboardPlugin.defaults())
                .start()) {
      java.net.URI base = java.net.URI.create("http://127.0.0.1:" + web.port());
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String id =
          taskflow
              .enqueue(new dev.taskflow.JobRequest("py.wordcount", "{\"text\":\"secret\"}", null))
              .job()
              .id()
              .toString();
      HttpResponse<String> lease =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/workers/lease"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"workerId\":\"quiet\",\"types\":[\"py.wordcount\"],\"leaseSeconds\":10}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String token =
          DashboardServer.JSON
              .readTree(lease.body())
              .get("jobs")
              .get(0)
              .get("leaseToken")
              .asString();
      String secret =
          new String(
                  java.util.Base64.getUrlDecoder().decode(token),
                  java.nio.charset.StandardCharsets.UTF_8)
              .substring("1:remote:quiet#".length());

      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(base.resolve("/jobs/" + id)).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("quiet").doesNotContain(secret, token);
    }
  }

  record Session(String cookie, String token) {}

  /** Loads a page as a browser would: the CSRF cookie, and the token the page carries. */
  private Session session() {
    HttpResponse<String> r = server.get("/jobs");
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("SameSite=Strict", "HttpOnly");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Matcher m = META_TOKEN.matcher(r.body());
    assertThat(m.find()).isTrue();
    assertThat(cookie).isEqualTo(DashboardSecurity.COOKIE + "=" + m.group(1));
    return new Session(cookie, m.group(1));
  }

  private HttpRequest.Builder form(String path, String body) {
    return HttpRequest.newBuilder(server.base.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
