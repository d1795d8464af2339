package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.JobState;
import dev.taskflow.QueueInfo;
import dev.taskflow.web.RawHttp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web server's browser guard (docs/security.md) in front of the dashboard, mounted as a plugin:
 * a rebinding {@code Host} is 421 and a foreign origin 403 on its pages and forms before the
 * dashboard sees them, and nothing changes. The API's rows are taskflow-web's {@code
 * BrowserBoundaryTest}.
 */
class DashboardBrowserBoundaryTest {
  private DashboardServer server;
  private int port;

  @BeforeEach
  void start() {
    server =
        DashboardServer.start(
            c -> c.allowedHosts(List.of("jobs.example.com")), DashboardPlugin.defaults());
    port = server.web.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<RawHttp.Response> everyKindOfPage(String... lines) {
    String id = server.enqueue("{\"type\":\"test.block\"}");
    String form = "Content-Type: application/x-www-form-urlencoded";
    List<RawHttp.Response> out = new ArrayList<>();
    out.add(RawHttp.send(port, "GET", "/", null, lines));
    out.add(RawHttp.send(port, "GET", "/jobs/" + id, null, lines));
    out.add(RawHttp.send(port, "GET", "/live/overview", null, lines));
    out.add(RawHttp.send(port, "GET", "/assets/dashboard.css", null, lines));
    out.add(RawHttp.send(port, "POST", "/queues/default/pause", "_csrf=x", with(lines, form)));
    out.add(RawHttp.send(port, "POST", "/jobs/" + id + "/cancel", "_csrf=x", with(lines, form)));
    return out;
  }

  @Test
  void a_host_the_server_does_not_serve_is_421_on_every_dashboard_route_and_changes_nothing() {
    for (String host :
        List.of("attacker.example:" + port, "127.0.0.1.nip.io:" + port, "10.1.2.3:" + port)) {
      List<RawHttp.Response> answers = everyKindOfPage("Host: " + host);
      assertThat(answers).as(host).extracting(RawHttp.Response::status).containsOnly(421);
      assertThat(answers.getFirst().body()).contains("host_not_allowed");
    }
    assertNothingChanged();
  }

  @Test
  void a_page_of_a_foreign_origin_is_403_before_the_dashboard_runs_and_changes_nothing() {
    List<RawHttp.Response> answers =
        everyKindOfPage(
            "Host: 127.0.0.1:" + port,
            "Origin: https://evil.example",
            "Sec-Fetch-Site: cross-site");
    assertThat(answers).extracting(RawHttp.Response::status).containsOnly(403);
    assertNothingChanged();
  }

  @Test
  void loopback_names_and_allowed_hosts_see_the_pages() {
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "jobs.example.com")) {
      RawHttp.Response page = RawHttp.send(port, "GET", "/", null, "Host: " + host);
      assertThat(page.status()).as(host).isEqualTo(200);
      assertThat(page.header("Content-Type")).as(host).startsWith("text/html");
    }
  }

  private void assertNothingChanged() {
    for (QueueInfo q : server.taskflow.queues().list()) {
      assertThat(q.paused()).as("queue " + q.name() + " paused").isFalse();
    }
    assertThat(server.taskflow.list(dev.taskflow.JobQuery.all().states(JobState.CANCELLED)).items())
        .as("cancelled jobs")
        .isEmpty();
  }

  private static String[] with(String[] lines, String more) {
    List<String> all = new ArrayList<>(List.of(lines));
    all.add(more);
    return all.toArray(String[]::new);
  }
}
