package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.JobState;
import dev.taskflow.QueueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's boundary against web pages (docs/security.md): DNS rebinding is refused by the Host
 * allow-list (421), foreign origins before anything runs (403, a WebSocket before its upgrade), and
 * bodies that are not JSON on state-changing API requests (415). Each refused request changes
 * nothing.
 */
class BrowserBoundaryTest {
  private static final String WS_KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";

  /**
   * Pages of a plugin, outside the API, as the dashboard has them: a page at {@code /} and a form
   * that pauses a queue. The guard must stand in front of them as in front of the API (the real
   * dashboard's rows are {@code DashboardBrowserBoundaryTest}'s, in taskflow-dashboard).
   */
  private static final WebPlugin PAGES =
      web -> {
        web.routes().get("/", ctx -> ctx.html("<h1>page</h1>"));
        web.routes()
            .post(
                "/queues/{name}/pause",
                ctx -> {
                  web.client().queues().pause(ctx.pathParam("name"));
                  ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
                });
      };

  private TestServer server;
  private int port;

  @BeforeEach
  void start() {
    server = TestServer.start(c -> c.allowedHosts(List.of("jobs.example.com")), PAGES);
    port = server.web.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The requests every Host value is tried against: the API, SSE, WebSocket, pages, ops. */
  private List<RawHttp.Response> everyKindOfRequest(String hostLine) {
    String id = server.enqueue("{\"type\":\"test.fail\",\"maxAttempts\":1}");
    List<RawHttp.Response> out = new ArrayList<>();
    out.add(RawHttp.send(port, "GET", "/api/v1/jobs", null, hostLine));
    out.add(RawHttp.send(port, "POST", "/api/v1/queues/default/pause", null, hostLine));
    out.add(RawHttp.send(port, "POST", "/api/v1/jobs/" + id + "/cancel", null, hostLine));
    out.add(
        RawHttp.send(port, "GET", "/api/v1/events", null, hostLine, "Accept: text/event-stream"));
    out.add(
        RawHttp.send(port, "GET", "/api/v1/ws", null, hostLine, upgrade(), WS_KEY, wsVersion()));
    out.add(RawHttp.send(port, "GET", "/", null, hostLine));
    out.add(RawHttp.send(port, "POST", "/queues/default/pause", "_csrf=x", hostLine, form()));
    out.add(RawHttp.send(port, "GET", "/health", null, hostLine));
    out.add(RawHttp.send(port, "GET", "/metrics", null, hostLine));
    return out;
  }

  @Test
  void a_host_it_does_not_serve_is_421_on_every_route_and_changes_nothing() {
    List<String> foreign =
        List.of(
            "attacker.example:" + port,
            "attacker.example",
            "ATTACKER.example:" + port,
            "127.0.0.1.nip.io:" + port,
            "localhost.attacker.example:" + port,
            "10.1.2.3:" + port, // not loopback, and not the bound address
            "0177.0.0.1:" + port, // octal to some resolvers: a name here, not an address
            "jobs.example.com.evil:" + port);
    for (String host : foreign) {
      List<RawHttp.Response> answers = everyKindOfRequest("Host: " + host);
      assertThat(answers).as(host).extracting(RawHttp.Response::status).containsOnly(421);
      RawHttp.Response api = answers.getFirst();
      assertThat(api.header("Content-Type")).startsWith("application/problem+json");
      assertThat(api.body())
          .contains(
              "\"status\":421", "host_not_allowed", "--allowed-host", "\"parameter\":\"Host\"");
    }
    assertNothingChanged();
  }

  @Test
  void an_empty_or_malformed_host_is_refused_and_changes_nothing() {
    for (String host :
        List.of("Host:", "Host: user@127.0.0.1:" + port, "Host: 127.0.0.1:99999", "Host: [::1")) {
      for (RawHttp.Response r : everyKindOfRequest(host)) {
        assertThat(r.status()).as(host + " → " + r).isIn(400, 421);
      }
    }
    assertNothingChanged();
  }

  @Test
  void loopback_names_and_addresses_and_allowed_hosts_are_served() {
    List<String> served =
        List.of(
            "127.0.0.1:" + port,
            "127.0.0.1",
            "localhost:" + port,
            "LOCALHOST:" + port,
            "localhost.:" + port,
            "[::1]:" + port,
            "[0:0:0:0:0:0:0:1]:" + port,
            "127.0.0.2:" + port,
            "jobs.example.com",
            "Jobs.Example.COM.:" + port);
    for (String host : served) {
      RawHttp.Response health = RawHttp.send(port, "GET", "/health", null, "Host: " + host);
      RawHttp.Response list = RawHttp.send(port, "GET", "/api/v1/jobs", null, "Host: " + host);
      RawHttp.Response page = RawHttp.send(port, "GET", "/", null, "Host: " + host);
      RawHttp.Response sse =
          RawHttp.send(
              port, "GET", "/api/v1/events", null, "Host: " + host, "Accept: text/event-stream");
      RawHttp.Response ws =
          RawHttp.send(
              port, "GET", "/api/v1/ws", null, "Host: " + host, upgrade(), WS_KEY, wsVersion());
      assertThat(List.of(health, list, page, sse, ws))
          .as(host)
          .extracting(RawHttp.Response::status)
          .containsExactly(200, 200, 200, 200, 101);
    }
  }

  @Test
  void the_rebinding_repro_is_421_and_the_queue_stays_running() {
    RawHttp.Response pause =
        RawHttp.send(
            port,
            "POST",
            "/api/v1/queues/default/pause",
            null,
            "Host: attacker.example:8080",
            "Origin: http://attacker.example:8080",
            "Sec-Fetch-Site: same-origin");
    RawHttp.Response read = RawHttp.send(port, "GET", "/api/v1/jobs", null, "Host: evil.example");

    assertThat(pause.status()).isEqualTo(421);
    assertThat(pause.body()).contains("attacker.example:8080");
    assertThat(read.status()).isEqualTo(421);
    assertThat(read.body()).doesNotContain("\"items\"");
    assertNothingChanged();
  }

  @Test
  void a_websocket_from_a_foreign_origin_is_refused_before_the_upgrade() {
    String host = "Host: 127.0.0.1:" + port;
    for (String origin :
        List.of(
            "http://evil.example",
            "null",
            "http://localhost:" + port, // another origin, though the same server
            "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1),
            "https://127.0.0.1:" + port + "/path",
            "not a url")) {
      RawHttp.Response r =
          RawHttp.send(
              port,
              "GET",
              "/api/v1/ws",
              null,
              host,
              "Origin: " + origin,
              upgrade(),
              WS_KEY,
              wsVersion());
      assertThat(r.status()).as(origin).isEqualTo(403);
      assertThat(r.header("Upgrade")).as(origin).isNull();
      assertThat(r.body()).as(origin).contains("origin_not_allowed");
    }
    RawHttp.Response same =
        RawHttp.send(
            port,
            "GET",
            "/api/v1/ws",
            null,
            host,
            "Origin: http://127.0.0.1:" + port,
            upgrade(),
            WS_KEY,
            wsVersion());
    assertThat(same.status()).isEqualTo(101);
  }

  @Test
  void an_event_stream_for_a_foreign_origin_is_refused_before_it_opens() {
    RawHttp.Response r =
        RawHttp.send(
            port,
            "GET",
            "/api/v1/events?lastEventId=0",
            null,
            "Host: 127.0.0.1:" + port,
            "Origin: https://evil.example",
            "Accept: text/event-stream");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(server.web.openStreams()).isZero();
  }

  @Test
  void row5_a_state_change_from_another_site_is_403_on_every_api_route_and_changes_nothing() {
    String id = server.enqueue("{\"type\":\"test.fail\",\"maxAttempts\":1}");
    String host = "Host: 127.0.0.1:" + port;
    List<String[]> routes =
        List.of(
            new String[] {"POST", "/api/v1/queues/default/pause", null},
            new String[] {"POST", "/api/v1/jobs/" + id + "/cancel", null},
            new String[] {"POST", "/api/v1/jobs/" + id + "/retry", null},
            new String[] {"DELETE", "/api/v1/jobs/" + id, null},
            new String[] {"POST", "/api/v1/jobs", "{\"type\":\"demo.echo\"}"},
            new String[] {"PUT", "/api/v1/limits/x", "{\"max\":1}"},
            new String[] {"POST", "/api/v1/recurring/r/trigger", null},
            new String[] {"PATCH", "/api/v1/queues/default", "{\"paused\":true}"});
    List<String[]> browserHeaders =
        List.of(
            new String[] {"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"},
            new String[] {"Origin: https://evil.example"},
            new String[] {"Origin: null"},
            new String[] {"Sec-Fetch-Site: cross-site"},
            new String[] {"Sec-Fetch-Site: same-site"},
            new String[] {"Origin: http://localhost:" + port}); // same site, another origin
    for (String[] route : routes) {
      for (String[] browser : browserHeaders) {
        List<String> lines = new ArrayList<>(List.of(host));
        lines.addAll(List.of(browser));
        if (route[2] != null) lines.add("Content-Type: application/json");
        RawHttp.Response r =
            RawHttp.send(port, route[0], route[1], route[2], lines.toArray(String[]::new));
        assertThat(r.status())
            .as(String.join(" ", route[0], route[1], String.join(", ", browser)))
            .isEqualTo(403);
        assertThat(r.body()).contains("cross-origin-refused");
      }
    }
    assertNothingChanged();
    assertThat(server.taskflow.get(java.util.UUID.fromString(id)).orElseThrow().state())
        .isNotEqualTo(JobState.CANCELLED);
  }

  @Test
  void a_same_origin_browser_request_is_served() {
    RawHttp.Response pause =
        RawHttp.send(
            port,
            "POST",
            "/api/v1/queues/side/pause",
            null,
            "Host: 127.0.0.1:" + port,
            "Origin: http://127.0.0.1:" + port,
            "Sec-Fetch-Site: same-origin");
    RawHttp.Response proxied =
        RawHttp.send(
            port,
            "POST",
            "/api/v1/queues/side/resume",
            null,
            "Host: jobs.example.com",
            "Origin: https://jobs.example.com", // a TLS proxy in front: the default port on both
            "Sec-Fetch-Site: same-origin");
    assertThat(pause.status()).isEqualTo(200);
    assertThat(proxied.status()).isEqualTo(200);
  }

  @Test
  void a_body_that_is_not_json_is_415_even_where_the_route_reads_no_body() {
    String host = "Host: 127.0.0.1:" + port;
    RawHttp.Response plain =
        RawHttp.send(
            port, "POST", "/api/v1/queues/default/pause", "x", host, "Content-Type: text/plain");
    RawHttp.Response form =
        RawHttp.send(port, "POST", "/api/v1/queues/default/pause", "a=b", host, form());
    RawHttp.Response none = RawHttp.send(port, "POST", "/api/v1/queues/default/pause", "x", host);
    RawHttp.Response gzip =
        RawHttp.send(
            port,
            "POST",
            "/api/v1/jobs",
            "{\"type\":\"demo.echo\"}",
            host,
            "Content-Type: application/json",
            "Content-Encoding: gzip");

    assertThat(List.of(plain, form, none, gzip))
        .extracting(RawHttp.Response::status)
        .containsOnly(415);
    assertThat(plain.body()).contains("\"parameter\":\"Content-Type\"", "text/plain");
    assertThat(gzip.body()).contains("\"parameter\":\"Content-Encoding\"", "content_encoding");
    assertNothingChanged();
    assertThat(server.taskflow.list(dev.taskflow.JobQuery.all()).items()).isEmpty();

    RawHttp.Response empty =
        RawHttp.send(
            port, "POST", "/api/v1/queues/side/pause", "", host, "Content-Type: text/plain");
    assertThat(empty.status()).as("no body at all is fine, whatever it is labelled").isEqualTo(200);
  }

  @Test
  void a_request_without_host_or_origin_from_a_plain_client_is_served() {
    RawHttp.Response http10 =
        RawHttp.send(port, "GET", "/health", null).status() == 400
            ? null
            : RawHttp.send(port, "GET", "/health", null);
    RawHttp.Response curl =
        RawHttp.send(
            port,
            "POST",
            "/api/v1/jobs",
            "{\"type\":\"demo.echo\"}",
            "Host: 127.0.0.1:" + port,
            "Content-Type: application/json");
    assertThat(curl.status()).isEqualTo(201);
    if (http10 != null) assertThat(http10.status()).isEqualTo(200);
  }

  @Test
  void allowed_hosts_are_checked_when_the_server_is_configured() {
    assertThatThrownBy(() -> WebConfig.builder().allowedHosts(List.of("*")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'*'")
        .hasMessageContaining("DNS rebinding");
    for (String bad :
        List.of("http://jobs.example.com", "jobs.example.com:8080", "a b", "", "x/y")) {
      assertThatThrownBy(() -> WebConfig.builder().allowedHosts(List.of(bad)).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("allowed host");
    }
    assertThat(
            WebConfig.builder()
                .allowedHosts(List.of("Jobs.Example.com.", "[::1]", "192.168.1.5"))
                .build()
                .allowedHosts())
        .containsExactlyInAnyOrder("jobs.example.com", "0:0:0:0:0:0:0:1", "192.168.1.5");
  }

  @Test
  void a_server_bound_to_every_interface_answers_to_any_ip_address_but_not_to_names() {
    BrowserGuard all = guard(WebConfig.builder().host("0.0.0.0").build());
    BrowserGuard lan = guard(WebConfig.builder().host("192.168.1.5").build());
    BrowserGuard loop = guard(WebConfig.defaults());

    assertThat(all.allowed("10.1.2.3")).isTrue();
    assertThat(all.allowed("fe80:0:0:0:0:0:0:1")).isTrue();
    assertThat(all.allowed("rebind.example")).isFalse();
    assertThat(lan.allowed("192.168.1.5")).isTrue();
    assertThat(lan.allowed("192.168.1.6")).isFalse();
    assertThat(lan.allowed("127.0.0.1")).isTrue();
    assertThat(loop.allowed("192.168.1.5")).isFalse();
    assertThat(loop.allowed("0:0:0:0:0:ffff:7f00:1")).isTrue(); // ::ffff:127.0.0.1
  }

  @Test
  void repeated_or_listed_browser_headers_are_judged_by_every_value() {
    String host = "Host: 127.0.0.1:" + port;
    String self = "Origin: http://127.0.0.1:" + port;
    String pause = "/api/v1/queues/default/pause";
    List<RawHttp.Response> refused =
        List.of(
            RawHttp.send(port, "POST", pause, null, host, self, "Origin: http://evil.example"),
            RawHttp.send(
                port,
                "GET",
                "/api/v1/ws",
                null,
                host,
                self,
                "Origin: http://evil.example",
                upgrade(),
                WS_KEY,
                wsVersion()),
            RawHttp.send(
                port,
                "POST",
                pause,
                null,
                host,
                "Sec-Fetch-Site: same-origin",
                "Sec-Fetch-Site: cross-site"),
            RawHttp.send(
                port, "POST", pause, null, host, "Sec-Fetch-Site: same-origin, cross-site"),
            RawHttp.send(port, "POST", pause, null, host, "Sec-Fetch-Site: cross-site;x"),
            RawHttp.send(port, "POST", pause, null, host, "Origin: http://127.0.0.1:0" + port));
    assertThat(refused).extracting(RawHttp.Response::status).containsOnly(403);

    List<RawHttp.Response> unsupported =
        List.of(
            RawHttp.send(
                port,
                "POST",
                pause,
                "{}",
                host,
                "Content-Type: application/json",
                "Content-Type: text/plain"),
            RawHttp.send(
                port,
                "POST",
                pause,
                "{}",
                host,
                "Content-Type: application/json",
                "Content-Encoding: identity",
                "Content-Encoding: gzip"),
            RawHttp.exchange(
                port,
                "POST "
                    + pause
                    + " HTTP/1.1\r\n"
                    + host
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n"
                    + "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
    assertThat(unsupported).extracting(RawHttp.Response::status).containsOnly(415);
    assertNothingChanged();
  }

  @Test
  void a_method_override_header_is_refused_not_honoured() {
    String host = "Host: 127.0.0.1:" + port;
    for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
      RawHttp.Response r =
          RawHttp.send(port, "GET", "/api/v1/queues/default/pause", null, host, header + ": POST");
      assertThat(r.status()).as(header).isEqualTo(400);
      assertThat(r.body()).contains("method_override");
    }
    assertNothingChanged();
  }

  @Test
  void an_absolute_request_target_is_checked_like_a_host() {
    RawHttp.Response http10 =
        RawHttp.exchange(
            port,
            "POST http://rebind.attacker.example/api/v1/queues/default/pause HTTP/1.0\r\n\r\n");
    RawHttp.Response http11 =
        RawHttp.exchange(
            port,
            "POST http://rebind.attacker.example/api/v1/queues/default/pause HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + port
                + "\r\nConnection: close\r\n\r\n");
    RawHttp.Response plain10 = RawHttp.exchange(port, "GET /health HTTP/1.0\r\n\r\n");

    assertThat(http10.status()).isEqualTo(421);
    assertThat(http11.status()).isIn(400, 421);
    assertThat(plain10.status()).as("HTTP/1.0 without Host, by address").isEqualTo(200);
    assertNothingChanged();
  }

  @Test
  void unknown_methods_under_the_api_are_405_and_an_oversized_body_is_413_before_it_is_read() {
    String host = "Host: 127.0.0.1:" + port;
    RawHttp.Response foo = RawHttp.send(port, "FOO", "/api/v1/jobs", null, host);
    RawHttp.Response big =
        RawHttp.exchange(
            port,
            "POST /api/v1/jobs HTTP/1.1\r\n"
                + host
                + "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n"
                + "Connection: close\r\n\r\n{}");

    assertThat(foo.status()).isEqualTo(405);
    assertThat(foo.body()).contains("method_not_allowed");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.body()).contains("max_size");
  }

  private static BrowserGuard guard(WebConfig config) {
    return new BrowserGuard(config, new ProblemMapper(new ApiJson()));
  }

  private void assertNothingChanged() {
    for (QueueInfo q : server.taskflow.queues().list()) {
      assertThat(q.paused()).as("queue " + q.name() + " paused").isFalse();
    }
    assertThat(server.taskflow.list(dev.taskflow.JobQuery.all().states(JobState.CANCELLED)).items())
        .as("cancelled jobs")
        .isEmpty();
    assertThat(Set.copyOf(server.taskflow.limits().list().items())).as("limits").isEmpty();
  }

  private static String upgrade() {
    return "Upgrade: websocket\r\nConnection: Upgrade";
  }

  private static String wsVersion() {
    return "Sec-WebSocket-Version: 13";
  }

  private static String form() {
    return "Content-Type: application/x-www-form-urlencoded";
  }
}
