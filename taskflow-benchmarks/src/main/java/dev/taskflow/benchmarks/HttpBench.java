package dev.taskflow.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures taken against a real server in a child JVM on a random port: HTTP enqueue (batch and
 * single), then the server drains what it was sent and its peak resident memory (VmHWM) is read.
 * The queue is paused while the enqueue figures run, so that they measure enqueueing only.
 */
final class HttpBench {
  private static final Pattern COMPLETED = Pattern.compile("\"completed\"\\s*:\\s*(\\d+)");

  private final Plan plan;
  private final Machine machine;
  private HttpClient http; // made in run(): its selector thread must not idle through the drains

  private final Profiler profiler;

  HttpBench(Plan plan, Machine machine, Profiler profiler) {
    this.plan = plan;
    this.machine = machine;
    this.profiler = profiler;
  }

  /** enqueue_bulk_http, enqueue_single_http and peak_rss, from one child server. */
  List<Figure> run(BenchStore store) throws Exception {
    store.wipe();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    Path jfr = profiler.enabled() ? Files.createTempFile("taskflow-bench-child", ".jfr") : null;
    Process child = startChild(store, jfr, plan.concurrency());
    try {
      String base = "http://127.0.0.1:" + awaitPort(child);
      List<Figure> out = new ArrayList<>();
      post(base + "/api/v1/queues/default/pause", "", 200, 204);

      double load = machine.load();
      StringBuilder body = new StringBuilder("{\"jobs\":[");
      for (int i = 0; i < Plan.BULK_BATCH; i++) {
        if (i > 0) body.append(',');
        body.append("{\"type\":\"").append(Noop.TYPE).append("\",\"args\":{\"t\":0}}");
      }
      String batch = body.append("]}").toString();
      int batches = Math.max(1, plan.jobs() / Plan.BULK_BATCH);
      double bulk = timed(batches, 2, () -> post(base + "/api/v1/jobs/batch", batch, 201));
      out.add(
          Figure.of(
              store.label(),
              "enqueue_bulk_http",
              load,
              "jobs_per_s",
              batches * Plan.BULK_BATCH / bulk,
              "batch",
              Plan.BULK_BATCH,
              "client_threads",
              2));

      load = machine.load();
      String one = "{\"type\":\"" + Noop.TYPE + "\",\"args\":{\"t\":0}}";
      int singles = plan.httpSingleJobs();
      double single =
          timed(singles, Plan.CLIENT_THREADS, () -> post(base + "/api/v1/jobs", one, 201));
      out.add(
          Figure.of(
              store.label(),
              "enqueue_single_http",
              load,
              "jobs_per_s",
              singles / single,
              "client_threads",
              Plan.CLIENT_THREADS));

      load = machine.load();
      long total = (long) batches * Plan.BULK_BATCH + singles;
      post(base + "/api/v1/queues/default/resume", "", 200, 204);
      EngineBench.waitUntil(
          () -> completed(base), total, Duration.ofMinutes(10), "the child server's drain");
      out.add(
          Figure.of(
              store.label(),
              "peak_rss",
              load,
              "mib",
              Machine.peakRssMib(child.pid()),
              "jobs",
              total,
              "concurrency",
              plan.concurrency()));
      return out;
    } finally {
      stopChild(child);
      http.close();
      if (jfr != null) profiler.addRecording(store.label() + " child server (HTTP figures)", jfr);
      store.wipe();
    }
  }

  /** Starts a {@link BenchServer} child on the store; {@link #awaitPort} reads its port. */
  static Process startChild(BenchStore store, Path jfr, int concurrency) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (jfr != null) {
      cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchServer.class.getName());
    cmd.add(store.serverSpec());
    cmd.add(Integer.toString(concurrency));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  static int awaitPort(Process child) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith(BenchServer.PORT_LINE)) {
        return Integer.parseInt(line.substring(BenchServer.PORT_LINE.length()).trim());
      }
    }
    throw new IllegalStateException(
        "the child server (pid " + child.pid() + ") exited before it listened");
  }

  static void stopChild(Process child) throws InterruptedException {
    try {
      child.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      child.destroy();
      if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
    }
  }

  /** Runs {@code calls} calls over {@code threads} threads; returns the seconds it took. */
  private static double timed(int calls, int threads, Call call) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int share = calls / threads + (t < calls % threads ? 1 : 0);
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < share; i++) call.run();
                  return null;
                }));
      }
      for (Future<?> f : done) f.get();
      return EngineBench.seconds(t0);
    }
  }

  private void post(String url, String json, int... expected) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to " + url, e);
    }
    for (int code : expected) if (res.statusCode() == code) return;
    throw new IOException("POST " + url + " answered " + res.statusCode() + ": " + res.body());
  }

  private long completed(String base) {
    try {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/stats")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = COMPLETED.matcher(res.body());
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException e) {
      throw new IllegalStateException("GET " + base + "/api/v1/stats failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }
}
