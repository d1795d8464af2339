package dev.taskflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.FlowLimit;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard in a real browser (the system Chromium, through Playwright). */
class DashboardBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static Playwright playwright;
  private static Browser browser;

  private DashboardServer server;
  private BrowserContext context;
  private Page page;
  private final List<String> dialogs = new CopyOnWriteArrayList<>();
  private final List<String> console = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void launch() {
    Path chromium = SystemChromium.require();
    playwright = SystemChromium.playwright();
    browser = SystemChromium.launch(playwright, chromium);
  }

  @AfterAll
  static void quit() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
  }

  @AfterEach
  void stop() {
    if (context != null) context.close();
    if (server != null) server.close();
  }

  private Page open(DashboardServer s) {
    server = s;
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    page = context.newPage();
    page.onDialog(
        d -> {
          dialogs.add(d.type() + ": " + d.message());
          d.accept();
        });
    page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    page.onPageError(e -> console.add("pageerror: " + e));
    return page;
  }

  /** Awaitility polling on this thread: Playwright objects belong to the thread that made them. */
  private static ConditionFactory eventually() {
    return await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100));
  }

  private String text(String selector) {
    Locator l = page.locator(selector);
    return l.count() == 0 ? "" : l.first().innerText().strip();
  }

  private void awaitFinished(String id) {
    eventually().until(() -> JobState.fromWire(server.state(id)).isFinished());
  }

  @Test
  void the_overview_loads_and_its_counters_match_the_api_and_follow_it_live() {
    open(DashboardServer.start());
    List<String> ids =
        List.of(
            server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":1}}"),
            server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":2}}"),
            server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}"),
            server.enqueue("{\"type\":\"demo.echo\",\"delay\":\"PT1H\",\"args\":{}}"));
    awaitFinished(ids.get(0));
    awaitFinished(ids.get(1));
    awaitFinished(ids.get(2));

    Response r = page.navigate(server.url("/"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-security-policy")).contains("script-src 'self'");
    Map<JobState, Long> api = server.apiCounts();
    for (JobState s : Views.STATES) {
      assertThat(text(".stat[data-state=" + s.wireName() + "] .stat-value"))
          .as("overview counter of %s", s.wireName())
          .isEqualTo(Fmt.count(api.get(s)));
    }
    assertThat(text(".stat[data-state=completed] .stat-value")).isEqualTo("2");

    String more = server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"n\":3}}");
    awaitFinished(more);
    eventually().until(() -> text(".stat[data-state=completed] .stat-value").equals("3"));
    assertThat(page.locator("#throughput-chart canvas").count()).isEqualTo(1);
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void a_failing_job_enqueued_through_the_api_appears_in_failed_without_a_reload() {
    open(DashboardServer.start());
    page.navigate(server.url("/jobs?state=failed"));
    assertThat(page.locator("#jobs-empty").isVisible()).isTrue();
    eventually().until(() -> page.locator("body.live-on").count() == 1);

    String id = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{\"n\":7}}");

    eventually().until(() -> page.locator("tr[data-job-id='" + id + "']").count() == 1);
    assertThat(text("tr[data-job-id='" + id + "'] .badge")).isEqualTo("failed");
    assertThat(dialogs).isEmpty();
  }

  @Test
  void the_dashboard_works_at_localhost_and_at_127_0_0_1_behind_the_host_and_origin_checks() {
    open(DashboardServer.start());
    for (String origin :
        List.of("http://localhost:" + server.web.port(), "http://127.0.0.1:" + server.web.port())) {
      String id = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
      awaitFinished(id);

      Response r = page.navigate(origin + "/jobs/" + id);
      assertThat(r.status()).as(origin).isEqualTo(200);
      page.locator("#action-retry").click(); // a same-origin POST with Origin and the CSRF token

      eventually().until(() -> server.job(id).get("attempt").asInt() == 2);
      // the page follows the retried job live, over its SSE stream from the same origin
      eventually().until(() -> page.locator("#job-errors details").count() == 2);
    }
    assertThat(console).as("browser console").noneMatch(m -> m.startsWith("error"));
  }

  @Test
  void retry_moves_a_failed_job_back_and_its_history_shows_both_attempts() {
    open(DashboardServer.start());
    String id =
        server.enqueue(
            "{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{\"message\":\"boom\"}}");
    awaitFinished(id);
    page.navigate(server.url("/jobs/" + id));
    assertThat(text("#job-state")).isEqualTo("failed");

    page.locator("#action-retry").click();

    eventually()
        .until(
            () ->
                page.locator("#job-errors details").count() == 2
                    && text("#job-state").equals("failed"));
    assertThat(server.job(id).get("attempt").asInt()).isEqualTo(2);
    String errors = text("#job-errors");
    assertThat(errors).contains("attempt 1", "attempt 2", "demo.fail failed: boom");
    assertThat(page.locator("#job-errors pre.stack").first().textContent())
        .contains("IllegalStateException");
    List<String> history = page.locator("#job-history li .badge").allInnerTexts();
    assertThat(history)
        .containsSubsequence("processing", "failed", "enqueued", "processing", "failed");
    assertThat(text(".notice")).contains("retried");
  }

  @Test
  void a_bulk_delete_of_everything_matching_a_filter_empties_the_list() {
    open(DashboardServer.start());
    for (int i = 0; i < 7; i++) {
      server.enqueue("{\"type\":\"demo.echo\",\"tags\":[\"cleanup\"],\"args\":{\"i\":" + i + "}}");
    }
    String kept = server.enqueue("{\"type\":\"demo.echo\",\"tags\":[\"keep\"],\"args\":{}}");
    page.navigate(server.url("/jobs?tag=cleanup"));
    eventually().until(() -> page.locator("#bulk-form tbody tr").count() == 7);

    page.locator("#bulk-action").selectOption("delete");
    page.locator("#bulk-matching").click();

    eventually().until(() -> page.locator("#jobs-empty").count() == 1);
    assertThat(dialogs).hasSize(1).first().asString().contains("every job matching");
    assertThat(text(".notice")).contains("Deleted 7 job(s)");
    assertThat(server.apiList("tag=cleanup")).isEmpty();
    assertThat(server.apiList("tag=keep")).containsExactly(kept);
  }

  @Test
  void a_bulk_retry_of_a_selection_retries_only_the_selected_jobs() {
    open(DashboardServer.start());
    String a = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
    String b = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
    awaitFinished(a);
    awaitFinished(b);
    page.navigate(server.url("/jobs?state=failed"));

    page.locator("input[name=id][value='" + a + "']").check();
    page.locator("#bulk-action").selectOption("retry");
    page.locator("#bulk-selected").click();

    eventually().until(() -> server.job(a).get("attempt").asInt() == 2);
    assertThat(text(".notice")).contains("Retried 1 job(s)");
    assertThat(server.job(b).get("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void search_finds_a_job_by_a_word_in_its_args_and_by_its_id() {
    open(DashboardServer.start());
    String hit =
        server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"customer\":\"Zanzibar Trading\"}}");
    server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"customer\":\"Acme\"}}");
    server.enqueue("{\"type\":\"demo.echo\",\"args\":{\"customer\":\"Globex\"}}");
    page.navigate(server.url("/jobs"));

    page.locator("input.search").fill("zanzibar");
    page.locator("input.search").press("Enter");

    eventually().until(() -> page.url().contains("q=zanzibar"));
    assertThat(page.locator("#bulk-form tbody tr").count()).isEqualTo(1);
    assertThat(page.locator("tr[data-job-id='" + hit + "']").count()).isEqualTo(1);

    page.locator("input.search").fill(hit);
    page.locator("input.search").press("Enter");
    eventually().until(() -> page.url().endsWith("/jobs/" + hit));
  }

  @Test
  void a_post_without_the_csrf_token_is_refused() {
    open(DashboardServer.start());
    String id = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
    awaitFinished(id);
    page.navigate(server.url("/jobs/" + id)); // the browser now holds the CSRF cookie

    APIResponse noToken =
        page.request()
            .post(
                server.url("/jobs/" + id + "/retry"),
                RequestOptions.create().setForm(FormData.create().set("other", "1")));
    APIResponse crossSite =
        page.request()
            .post(
                server.url("/jobs/" + id + "/retry"),
                RequestOptions.create()
                    .setHeader("Origin", "https://evil.example")
                    .setForm(FormData.create().set("_csrf", "whatever")));

    assertThat(noToken.status()).isEqualTo(403);
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(server.state(id)).isEqualTo("failed");
    assertThat(server.job(id).get("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void script_in_tags_owner_args_and_messages_is_shown_as_text_and_never_runs() {
    open(DashboardServer.start());
    String xss = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    String json = xss.replace("\"", "\\\"");
    String id =
        server.enqueue(
            "{\"type\":\"demo.chatty\",\"owner\":\"<b>bold</b>\",\"tags\":[\"<script>alert(3)</script>\"],"
                + "\"args\":{\"log\":\""
                + json
                + "\",\"progress\":\""
                + json
                + "\",\"html\":\""
                + json
                + "\"}}");
    awaitFinished(id);
    String failed =
        server.enqueue(
            "{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{\"message\":\"" + json + "\"}}");
    awaitFinished(failed);

    page.navigate(server.url("/jobs/" + id));
    assertThat(text("#job-log")).contains(xss);
    assertThat(text("#job-args")).contains("<script>alert(1)</script>");
    assertThat(text(".facts")).contains("<b>bold</b>", "<script>alert(3)</script>");
    page.navigate(server.url("/jobs/" + failed));
    assertThat(text("#job-errors")).contains(xss);
    page.navigate(server.url("/jobs"));
    assertThat(text("#bulk-form")).contains("<script>alert(3)</script>");
    page.navigate(
        server.url(
            "/jobs?q=" + java.net.URLEncoder.encode(xss, java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(page.locator("input.search").inputValue()).isEqualTo(xss);

    assertThat(dialogs).as("no script from job data ran").isEmpty();
    assertThat(page.locator("img[src=x]").count()).isZero();
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void the_job_page_shows_progress_logs_custom_events_and_the_result() {
    open(DashboardServer.start());
    String id =
        server.enqueue(
            "{\"type\":\"demo.chatty\",\"args\":{\"log\":\"resizing image 3 of 9\",\"progress\":\"almost\"}}");
    awaitFinished(id);

    page.navigate(server.url("/jobs/" + id));

    assertThat(text("#job-state")).isEqualTo("completed");
    assertThat(text("#job-log")).contains("[attempt 1] resizing image 3 of 9");
    assertThat(text("#job-events")).contains("demo.step_done", "\"step\" : 1");
    assertThat(text("#job-result")).contains("\"ok\" : true");
    assertThat(page.locator("#job-progress").getAttribute("value")).isEqualTo("40");
    assertThat(page.locator("#action-delete").count()).isEqualTo(1);
    assertThat(page.locator("#action-retry").count()).isZero();
  }

  @Test
  void a_job_page_shows_its_flow_controls_as_text_and_an_expired_job_says_so() {
    open(DashboardServer.start());
    server
        .taskflow
        .limits()
        .put(
            FlowLimit.builder("one-per-account")
                .type("demo.echo")
                .scope(FlowLimit.Scope.KEY)
                .maxRunning(1)
                .build());
    String key = "acct-<img src=x onerror=\"window.pwned=1\">";
    EnqueueOptions parked = EnqueueOptions.defaults().queue("parked"); // served by no server
    UUID held =
        server
            .taskflow
            .enqueue(
                new JobRequest(
                    "demo.echo",
                    "{}",
                    parked
                        .concurrencyKey(key)
                        .uniqueKey("invoice:<b>7</b>")
                        .uniqueFor(Duration.ofHours(1))
                        .startWithin(Duration.ofMinutes(10))))
            .job()
            .id();
    UUID late =
        server
            .taskflow
            .enqueue(new JobRequest("demo.echo", "{}", parked.startWithin(Duration.ofMillis(300))))
            .job()
            .id();

    page.navigate(server.url("/jobs/" + held));
    assertThat(text("#job-concurrency-key")).isEqualTo(key);
    assertThat(page.locator("#job-concurrency-key img").count()).isZero();
    assertThat(text("#job-unique-key")).isEqualTo("invoice:<b>7</b>");
    assertThat(page.locator("#job-unique-key b").count()).isZero();
    assertThat(text("#job-unique-scope")).startsWith("held for 1h 0m, until ");
    assertThat(page.locator("#job-limits [data-limit=one-per-account]").count()).isEqualTo(1);
    assertThat(text("#job-start-by")).contains("in 9m", "else cancelled as expired");
    assertThat(page.locator("#job-cancel-reason").count()).isZero();
    assertThat(page.evaluate("() => window.pwned")).isNull();
    Path dir = Path.of("target", "screenshots");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(dir.resolve("job-flow-controls.png"))
            .setFullPage(true));

    eventually().until(() -> server.state(late.toString()).equals("cancelled"));
    page.navigate(server.url("/jobs/" + late));
    assertThat(text("#job-state")).isEqualTo("cancelled");
    assertThat(text("#job-cancel-reason")).isEqualTo("expired");
    assertThat(text("#job-start-by")).contains("expired: not started in time");
    assertThat(page.locator("#job-history .reason").allInnerTexts()).contains("expired");
    page.screenshot(
        new Page.ScreenshotOptions().setPath(dir.resolve("job-expired.png")).setFullPage(true));
    assertThat(dir.resolve("job-expired.png")).exists();
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void a_running_job_moves_and_finishes_on_its_page_without_a_reload() {
    open(DashboardServer.start());
    String id = server.enqueue("{\"type\":\"test.block\",\"args\":{}}");
    eventually().until(() -> server.state(id).equals("processing"));
    page.navigate(server.url("/jobs/" + id));
    assertThat(text("#job-state")).isEqualTo("processing");
    eventually().until(() -> page.locator("body.live-on").count() == 1);

    server.releaseBlocked();

    eventually().until(() -> text("#job-state").equals("completed"));
    assertThat(page.locator("#action-cancel").count()).isZero();
  }

  @Test
  void a_read_only_dashboard_hides_every_action_and_refuses_posts() {
    open(DashboardServer.start(DashboardPlugin.defaults().withReadOnly(true)));
    String id = server.enqueue("{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{}}");
    awaitFinished(id);

    page.navigate(server.url("/jobs/" + id));
    assertThat(page.locator(".job-actions button").count()).isZero();
    page.navigate(server.url("/jobs?state=failed"));
    assertThat(page.locator("tr[data-job-id='" + id + "']").count()).isEqualTo(1);
    assertThat(page.locator("#bulk-form button, #bulk-form input[type=checkbox]").count()).isZero();
    page.navigate(server.url("/queues"));
    assertThat(page.locator("form[method=post]").count()).isZero();
    assertThat(text(".readonly-note")).contains("Read-only");

    APIResponse post =
        page.request()
            .post(
                server.url("/queues/default/pause"),
                RequestOptions.create().setForm(FormData.create().set("_csrf", "x")));
    assertThat(post.status()).isEqualTo(403);
  }

  @Test
  void queues_can_be_paused_and_resumed() {
    open(DashboardServer.start());
    server.enqueue("{\"type\":\"demo.echo\",\"queue\":\"side\",\"args\":{}}");
    // a queue's concurrency comes from the servers registry, which a server joins shortly after
    // start
    eventually().until(() -> !server.taskflow.cluster().servers().isEmpty());
    page.navigate(server.url("/queues"));
    Locator side = page.locator("tr[data-queue=side]");
    assertThat(side.locator("td").nth(9).innerText().strip()).isEqualTo("2");

    side.locator("button", new Locator.LocatorOptions().setHasText("Pause")).click();
    eventually().until(() -> page.locator("tr[data-queue=side] .badge.paused").count() == 1);
    assertThat(text(".notice")).isEqualTo("Queue paused.");

    page.locator("tr[data-queue=side] button", new Page.LocatorOptions().setHasText("Resume"))
        .click();
    eventually().until(() -> page.locator("tr[data-queue=side] .badge.paused").count() == 0);
  }

  /** Every page in light and dark, at 1280 px and at a phone's size, into target/screenshots. */
  @Test
  void screenshots_of_every_page_in_light_and_dark_at_desktop_and_phone_sizes() {
    server = DashboardServer.start();
    for (int i = 0; i < 6; i++) {
      server.enqueue(
          "{\"type\":\"demo.echo\",\"tags\":[\"newsletter\"],\"owner\":\"acme\",\"args\":{\"to\":\"user"
              + i
              + "@example.com\",\"subject\":\"Welcome aboard\"}}");
    }
    String failed =
        server.enqueue(
            "{\"type\":\"demo.fail\",\"maxAttempts\":1,\"args\":{\"message\":\"SMTP timeout\"}}");
    String chatty =
        server.enqueue(
            "{\"type\":\"demo.chatty\",\"queue\":\"side\",\"args\":{\"log\":\"step one done\"}}");
    server.enqueue("{\"type\":\"demo.echo\",\"delay\":\"PT10M\",\"args\":{\"later\":true}}");
    server.enqueue("{\"type\":\"test.block\",\"args\":{}}");
    awaitFinished(failed);
    awaitFinished(chatty);
    eventually().until(() -> server.apiCounts().get(JobState.PROCESSING) == 1);
    Map<String, String> pages =
        Map.of(
            "overview", "/",
            "queues", "/queues",
            "jobs", "/jobs",
            "jobs-failed", "/jobs?state=failed",
            "job-failed", "/jobs/" + failed,
            "job-completed", "/jobs/" + chatty,
            "servers", "/servers");
    Path dir = Path.of("target", "screenshots");
    record Size(String name, int w, int h, boolean mobile) {}
    for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
      for (Size size :
          List.of(new Size("1280", 1280, 900, false), new Size("phone", 390, 844, true))) {
        try (BrowserContext ctx =
            browser.newContext(
                new Browser.NewContextOptions()
                    .setViewportSize(size.w(), size.h())
                    .setIsMobile(size.mobile())
                    .setDeviceScaleFactor(size.mobile() ? 2 : 1)
                    .setColorScheme(scheme))) {
          Page p = ctx.newPage();
          for (Map.Entry<String, String> e : pages.entrySet()) {
            Response r = p.navigate(server.url(e.getValue()));
            assertThat(r.status()).as(e.getValue()).isEqualTo(200);
            Path file =
                dir.resolve(
                    e.getKey()
                        + "-"
                        + scheme.name().toLowerCase(java.util.Locale.ROOT)
                        + "-"
                        + size.name()
                        + ".png");
            p.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            assertThat(file).exists();
          }
        }
      }
    }
  }

  private List<String> consoleErrors() {
    return console.stream()
        .filter(m -> m.startsWith("error") || m.startsWith("pageerror"))
        .toList();
  }
}
