package dev.taskflow.benchmarks;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
import dev.taskflow.TaskFlow;
import dev.taskflow.dashboard.DashboardPlugin;
import dev.taskflow.spi.Storage;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side render time of every dashboard page with the plan's history of finished jobs
 * (1,000,000 in a full run) plus a few live ones in the store, read from each response's {@code
 * Server-Timing: render;dur=…} header: the slowest of several renders per page, after a warm-up.
 */
final class DashboardBench {
  private static final Pattern RENDER = Pattern.compile("render;dur=([0-9.]+)");
  private static final int WARMUP = 2;
  private static final int SAMPLES = 5;

  private final Plan plan;
  private final Machine machine;
  private final EngineBench engine;

  DashboardBench(Plan plan, Machine machine, EngineBench engine) {
    this.plan = plan;
    this.machine = machine;
    this.engine = engine;
  }

  Figure run(BenchStore store) throws Exception {
    Storage storage = store.fresh();
    try (TaskFlow tf = engine.build(storage, new Probe(0))) {
      History.insertFinished(store, storage, tf, plan.history());
      // a few live jobs, so the lists, counters and job pages have something current to show
      List<JobRequest> live = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        live.add(
            new JobRequest(
                "bench.noop",
                "{\"n\":" + i + ",\"note\":\"needle" + i + "\"}",
                EnqueueOptions.defaults().queue(i % 2 == 0 ? "default" : "side").tags("bench")));
      }
      String someJob = tf.enqueueAll(live).get(0).job().id().toString();
      double load = machine.load();
      TaskFlowWeb web =
          TaskFlowWeb.create(tf, WebConfig.builder().port(0).build(), DashboardPlugin.defaults())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + web.port();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/");
        pages.put("queues", "/queues");
        pages.put("jobs", "/jobs");
        pages.put("jobs_completed", "/jobs?state=completed");
        pages.put("jobs_deep_page", "/jobs?state=completed&cursor=" + deepCursor(http, base));
        pages.put("jobs_search_text", "/jobs?text=needle7");
        pages.put("job", "/jobs/" + someJob);
        pages.put("servers", "/servers");
        List<Object> values = new ArrayList<>();
        double worst = 0;
        for (Map.Entry<String, String> p : pages.entrySet()) {
          double ms = slowestRender(http, base + p.getValue());
          worst = Math.max(worst, ms);
          values.add(p.getKey() + "_ms");
          values.add(ms);
        }
        values.add(0, worst);
        values.add(0, "max_render_ms");
        values.add("jobs_in_store");
        values.add(plan.history() + live.size());
        return Figure.of(store.label(), "dashboard_pages", load, values.toArray());
      } finally {
        web.stop();
      }
    } finally {
      store.wipe();
    }
  }

  /**
   * The cursor of the 20th page of completed jobs, through the API (a keyset page deep in history).
   */
  private static String deepCursor(HttpClient http, String base) throws Exception {
    String cursor = null;
    Pattern next = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
    for (int i = 0; i < 20; i++) {
      String url =
          base
              + "/api/v1/jobs?state=completed&limit=500"
              + (cursor == null ? "" : "&cursor=" + cursor);
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = next.matcher(body);
      if (!m.find()) break;
      cursor = m.group(1);
    }
    return cursor == null ? "" : cursor;
  }

  private static double slowestRender(HttpClient http, String url) throws Exception {
    double worst = 0;
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            url
                + " answered "
                + r.statusCode()
                + ": "
                + r.body().substring(0, Math.min(200, r.body().length())));
      }
      String timing =
          r.headers()
              .firstValue("Server-Timing")
              .orElseThrow(() -> new IllegalStateException(url + " sent no Server-Timing header"));
      Matcher m = RENDER.matcher(timing);
      if (!m.find())
        throw new IllegalStateException(url + ": no render duration in '" + timing + "'");
      if (i >= WARMUP) worst = Math.max(worst, Double.parseDouble(m.group(1)));
    }
    return worst;
  }
}
