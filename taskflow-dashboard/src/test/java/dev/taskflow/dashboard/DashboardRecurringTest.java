package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.RecurringSchedule;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Recurring page over plain HTTP: the list, pause/resume/trigger, read-only mode. */
class DashboardRecurringTest {
  private static final Pattern META_TOKEN =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([A-Za-z0-9_-]*)\">");

  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private void putNightly() {
    server
        .taskflow
        .recurring()
        .put(
            RecurringSchedule.cron("nightly", "0 3 * * *")
                .zone("Europe/Berlin")
                .job("demo.echo", "{}")
                .build());
  }

  @Test
  void the_page_lists_schedules_and_pause_resume_and_trigger_work() {
    server = DashboardServer.start();
    putNightly();

    HttpResponse<String> page = server.get("/recurring");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("data-schedule=\"nightly\"", "0 3 * * *", "Europe/Berlin", "demo.echo", "never")
        .contains("/recurring/nightly/pause", "/recurring/nightly/trigger");
    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Matcher m = META_TOKEN.matcher(page.body());
    assertThat(m.find()).isTrue();

    HttpResponse<String> paused = post("/recurring/nightly/pause", cookie, m.group(1));
    assertThat(paused.statusCode()).isEqualTo(303);
    assertThat(server.taskflow.recurring().get("nightly").orElseThrow().schedule().paused())
        .isTrue();
    assertThat(server.get("/recurring?done=schedule-paused").body())
        .contains("Schedule paused.", "/recurring/nightly/resume");

    post("/recurring/nightly/resume", cookie, m.group(1));
    assertThat(server.taskflow.recurring().get("nightly").orElseThrow().schedule().paused())
        .isFalse();
    HttpResponse<String> triggered = post("/recurring/nightly/trigger", cookie, m.group(1));
    assertThat(triggered.statusCode()).isEqualTo(303);
    assertThat(server.apiList("tag=recurring:nightly")).hasSize(1);
  }

  @Test
  void a_read_only_dashboard_shows_schedules_without_buttons() {
    server = DashboardServer.start(DashboardPlugin.defaults().withReadOnly(true));
    putNightly();

    String body = server.get("/recurring").body();

    assertThat(body)
        .contains("data-schedule=\"nightly\"")
        .doesNotContain("/recurring/nightly/pause");
  }

  private HttpResponse<String> post(String path, String cookie, String token) {
    return server.send(
        HttpRequest.newBuilder(server.base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie)
            .header("Sec-Fetch-Site", "same-origin")
            .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token))
            .build());
  }
}
