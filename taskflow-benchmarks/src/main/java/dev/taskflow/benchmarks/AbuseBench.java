package dev.taskflow.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The hostile sweep's costly repros, scaled down, against a child server: while they run, how much
 * slower do {@code GET /health} and a job's enqueue-to-completion get than when the server is idle?
 * The bound the hardening issue sets is 2x. The repros: 4 WebSocket connections with 100
 * subscriptions each of 64-pattern filters (row 1), 20 clients replaying the log from its start
 * with a filter nothing matches (row 2), 30 live dashboard searches for words that are nowhere
 * while 20 jobs a second are enqueued (row 3), and 4 clients listing 500 jobs a page (row 4).
 */
final class AbuseBench {
  private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

  private final Plan plan;
  private final Machine machine;
  private HttpClient http;

  AbuseBench(Plan plan, Machine machine) {
    this.plan = plan;
    this.machine = machine;
  }

  Figure run(BenchStore store) throws Exception {
    store.wipe();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Process child = HttpBench.startChild(store, null, plan.concurrency());
    List<AutoCloseable> abuse = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      String base = "http://127.0.0.1:" + HttpBench.awaitPort(child);
      backlog(base, plan.quick() ? 1_000 : 3_000); // ~3 events a job for the replays to read
      sample(base, Duration.ofSeconds(plan.quick() ? 1 : 3)); // warm-up: JIT, connections
      double load = machine.load();
      Samples idle = sample(base, Duration.ofSeconds(plan.quick() ? 2 : 8));

      for (int c = 0; c < 4; c++) abuse.add(subscriber(base));
      for (int c = 0; c < 20; c++)
        loop(running, () -> readAll(base + "/api/v1/events?lastEventId=0&type=nomatch.x"));
      for (int c = 0; c < 30; c++) {
        int n = c;
        loop(running, () -> readAll(base + "/live/jobs?q=zzzqqqnomatch" + n));
      }
      loop(
          running,
          () -> {
            post(base + "/api/v1/jobs", noop());
            LockSupport.parkNanos(50_000_000);
          });
      for (int c = 0; c < 4; c++) loop(running, () -> get(base + "/api/v1/jobs?limit=500"));
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(plan.quick() ? 1 : 3)); // abusers get going
      Samples abused = sample(base, Duration.ofSeconds(plan.quick() ? 3 : 15));

      return Figure.of(
          store.label(),
          "abuse",
          load,
          "health_ratio",
          abused.health() / idle.health(),
          "job_ratio",
          abused.job() / idle.job(),
          "health_idle_ms",
          idle.health(),
          "health_abused_ms",
          abused.health(),
          "job_idle_ms",
          idle.job(),
          "job_abused_ms",
          abused.job());
    } finally {
      running.set(false);
      for (AutoCloseable c : List.copyOf(abuse)) c.close();
      HttpBench.stopChild(child);
      http.close();
      store.wipe();
    }
  }

  /** Medians, in milliseconds, of {@code GET /health} and of a job's enqueue to completion. */
  private record Samples(double health, double job) {}

  private Samples sample(String base, Duration span) throws Exception {
    List<Double> health = new ArrayList<>();
    List<Double> job = new ArrayList<>();
    long end = System.nanoTime() + span.toNanos();
    int i = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      get(base + "/health");
      health.add((System.nanoTime() - t0) / 1e6);
      if (i++ % 10 == 0) job.add(jobLatencyMs(base));
      LockSupport.parkNanos(20_000_000);
    }
    return new Samples(median(health), median(job));
  }

  private double jobLatencyMs(String base) throws Exception {
    long t0 = System.nanoTime();
    Matcher m = ID.matcher(post(base + "/api/v1/jobs", noop()));
    if (!m.find()) throw new IllegalStateException("no id in the enqueue answer");
    String url = base + "/api/v1/jobs/" + m.group(1);
    while (true) {
      Matcher s = STATE.matcher(get(url));
      if (s.find() && s.group(1).equals("completed")) return (System.nanoTime() - t0) / 1e6;
      LockSupport.parkNanos(1_000_000);
    }
  }

  private void backlog(String base, int jobs) throws Exception {
    String batch =
        IntStream.range(0, 1000)
            .mapToObj(i -> noop())
            .collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
    for (int i = 0; i < jobs / 1000; i++) post(base + "/api/v1/jobs/batch", batch);
    EngineBench.waitUntil(
        () -> {
          Matcher m =
              Pattern.compile("\"completed\"\\s*:\\s*(\\d+)").matcher(get(base + "/api/v1/stats"));
          return m.find() ? Long.parseLong(m.group(1)) : 0;
        },
        jobs,
        Duration.ofMinutes(5),
        "the backlog for the replays");
  }

  /** One WebSocket connection with 100 subscriptions of 64 patterns that match nothing. */
  private AutoCloseable subscriber(String base) {
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(base.replace("http:", "ws:") + "/api/v1/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence d, boolean last) {
                    w.request(1);
                    return null;
                  }
                })
            .join();
    String types =
        IntStream.range(0, 64).mapToObj(i -> "\"zz" + i + ".*\"").collect(Collectors.joining(","));
    for (int s = 0; s < 100; s++) {
      ws.sendText(
              "{\"op\":\"subscribe\",\"id\":\"s" + s + "\",\"filter\":{\"types\":[" + types + "]}}",
              true)
          .join();
    }
    return ws::abort;
  }

  private static void loop(AtomicBoolean running, Call call) {
    Thread.ofVirtual()
        .start(
            () -> {
              while (running.get()) {
                try {
                  call.run();
                } catch (Exception e) {
                  LockSupport.parkNanos(10_000_000); // refused or cut off: try again
                }
              }
            });
  }

  /** Reads a response (a stream until the server ends it) and drops it. */
  private void readAll(String url) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      while (in.read(buf) >= 0) {
        // drop
      }
    }
  }

  private String get(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String post(String url, String json) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String noop() {
    return "{\"type\":\"" + Noop.TYPE + "\",\"args\":{\"t\":0}}";
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }
}
