package dev.taskflow.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.taskflow.JobEvent;
import dev.taskflow.JobListener;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * The figures taken with TaskFlow in this process: enqueue through the Java API, drain, latency.
 * The server is configured as {@code taskflow server} configures it (builder defaults: 30 s lease,
 * 1 s fallback poll, virtual threads, SQLite synchronous=FULL), with one queue, {@code default}, at
 * the plan's concurrency.
 */
final class EngineBench {
  private final Plan plan;
  private final Machine machine;

  EngineBench(Plan plan, Machine machine) {
    this.plan = plan;
    this.machine = machine;
  }

  TaskFlow build(Storage storage, Probe probe, JobListener... listeners) {
    TaskFlowBuilder b =
        TaskFlow.builder()
            .storage(storage)
            .worker(Noop.class, probe.worker())
            .queue("default", q -> q.concurrency(plan.concurrency()));
    for (JobListener l : listeners) b.listener(l);
    return b.build();
  }

  /** enqueueAll in batches of {@link Plan#BULK_BATCH}, the server not running. */
  Figure bulkEnqueue(BenchStore store, Profiler profiler) {
    double load = machine.load();
    try (TaskFlow tf = build(store.fresh(), new Probe(0))) {
      profiler.start(store.label() + " enqueue_bulk_java");
      long t0 = System.nanoTime();
      enqueueZeros(tf, plan.jobs());
      double s = seconds(t0);
      profiler.stop();
      return Figure.of(
          store.label(),
          "enqueue_bulk_java",
          load,
          "jobs_per_s",
          plan.jobs() / s,
          "batch",
          Plan.BULK_BATCH);
    }
  }

  /** enqueue, one job per call, from {@link Plan#CLIENT_THREADS} threads. */
  Figure singleEnqueue(BenchStore store) throws Exception {
    double load = machine.load();
    int threads = Plan.CLIENT_THREADS;
    int per = Math.max(1, plan.singleJobs() / threads);
    try (TaskFlow tf = build(store.fresh(), new Probe(0));
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < per; i++)
                    tf.enqueue(JobRequest.of(Noop.TYPE, Noop.ARGS_ZERO));
                }));
      }
      for (Future<?> f : done) f.get();
      double s = seconds(t0);
      return Figure.of(
          store.label(),
          "enqueue_single_java",
          load,
          "jobs_per_s",
          per * threads / s,
          "threads",
          threads);
    }
  }

  /**
   * Fills the queue with {@code jobs} no-op jobs (and {@code history} finished ones before them),
   * then starts the server and times it until the store counts every job completed.
   */
  Figure drain(BenchStore store, int jobs, int history, Profiler profiler) throws Exception {
    return drain(store, jobs, history, profiler, "");
  }

  /**
   * The drain with two misbehaving listeners registered: one throws on every event, one blocks
   * forever on its first. Listeners run on their own threads behind bounded queues, so this should
   * match the plain drain; {@code ratio_to_empty_drain} says how close it comes.
   */
  Figure drainWithBadListeners(BenchStore store, int jobs, Profiler profiler) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    JobListener throwing =
        new JobListener() {
          @Override
          public void onEvent(JobEvent e) {
            throw new IllegalStateException("a listener bug (benchmark)");
          }
        };
    JobListener blocked =
        new JobListener() {
          @Override
          public void onEvent(JobEvent e) {
            try {
              never.await();
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
        };
    // The throwing listener's warnings would flood the output: one line per event.
    Logger dispatcher =
        (Logger) LoggerFactory.getLogger("dev.taskflow.internal.engine.ListenerDispatcher");
    Level before = dispatcher.getLevel();
    dispatcher.setLevel(Level.ERROR);
    try {
      return drain(store, jobs, 0, profiler, "_bad_listeners", throwing, blocked);
    } finally {
      dispatcher.setLevel(before);
    }
  }

  private Figure drain(
      BenchStore store,
      int jobs,
      int history,
      Profiler profiler,
      String suffix,
      JobListener... listeners)
      throws Exception {
    Storage storage = store.fresh();
    Probe probe = new Probe(0);
    try (TaskFlow tf = build(storage, probe, listeners)) {
      if (history > 0) History.insertFinished(store, storage, tf, history);
      long finishedBefore = completed(tf);
      enqueueZeros(tf, jobs);
      store.analyze();
      double load = machine.load();
      String name =
          "drain_"
              + Plan.count(jobs)
              + (history > 0 ? "_with_" + Plan.count(history) + "_finished" : "")
              + suffix;
      profiler.start(store.label() + " " + name);
      long t0 = System.nanoTime();
      tf.start();
      waitUntil(
          () -> completed(tf) - finishedBefore, jobs, Duration.ofMinutes(10), "drain " + name);
      double s = seconds(t0);
      profiler.stop();
      return Figure.of(
          store.label(), name, load, "jobs_per_s", jobs / s, "concurrency", plan.concurrency());
    }
  }

  /** One job at a time on an idle server: enqueue, wait for its first line, pause 2 ms, again. */
  Figure latencyIdle(BenchStore store) throws Exception {
    Probe probe = new Probe(plan.latencySamples());
    try (TaskFlow tf = build(store.fresh(), probe)) {
      tf.start();
      // warm-up: the first jobs pay for class loading and the JIT
      for (int i = 0; i < Math.min(200, plan.latencySamples() * 4); i++) {
        tf.enqueue(JobRequest.of(Noop.TYPE, Noop.ARGS_ZERO));
        acquire(probe, "warm-up job " + i);
      }
      double load = machine.load();
      for (int i = 0; i < plan.latencySamples(); i++) {
        tf.enqueue(new Noop(System.nanoTime()));
        acquire(probe, "latency sample " + i);
        Thread.sleep(2);
      }
      return latencyFigure(store, "latency_idle", load, probe.percentiles(), 0);
    }
  }

  /**
   * An open-loop producer at {@code ratePerS} (enqueueAll every millisecond of what is due), for
   * the plan's load duration; every job's latency counts.
   */
  Figure latencyUnderLoad(BenchStore store, double ratePerS) throws Exception {
    int expected = (int) Math.ceil(ratePerS * plan.loadDuration().toNanos() / 1e9) + 1;
    Probe probe = new Probe(expected + 1000);
    try (TaskFlow tf = build(store.fresh(), probe)) {
      tf.start();
      double load = machine.load();
      long t0 = System.nanoTime();
      long end = t0 + plan.loadDuration().toNanos();
      long sent = 0;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) break;
        long due = (long) ((now - t0) / 1e9 * ratePerS) - sent;
        if (due > 0) {
          int n = (int) Math.min(due, 10_000);
          List<JobRequest> batch = new ArrayList<>(n);
          String args = "{\"t\":" + System.nanoTime() + "}";
          for (int i = 0; i < n; i++) batch.add(JobRequest.of(Noop.TYPE, args));
          tf.enqueueAll(batch);
          sent += n;
        } else {
          Thread.sleep(1);
        }
      }
      double achieved = sent / seconds(t0);
      long total = sent;
      waitUntil(probe::started, total, Duration.ofMinutes(5), "latency under load");
      return latencyFigure(store, "latency_load", load, probe.percentiles(), achieved);
    }
  }

  private static Figure latencyFigure(
      BenchStore store, String name, double load, Probe.Percentiles p, double rate) {
    Figure f =
        Figure.of(
            store.label(),
            name,
            load,
            "p50_ms",
            p.p50Ms(),
            "p99_ms",
            p.p99Ms(),
            "max_ms",
            p.maxMs(),
            "samples",
            p.samples());
    return rate > 0 ? f.with("rate_per_s", rate) : f;
  }

  static void enqueueZeros(TaskFlow tf, int jobs) {
    List<JobRequest> batch = new ArrayList<>(Plan.BULK_BATCH);
    for (int done = 0; done < jobs; ) {
      batch.clear();
      int n = Math.min(Plan.BULK_BATCH, jobs - done);
      for (int i = 0; i < n; i++) batch.add(JobRequest.of(Noop.TYPE, Noop.ARGS_ZERO));
      tf.enqueueAll(batch);
      done += n;
    }
  }

  static long completed(TaskFlow tf) {
    return tf.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L);
  }

  private static void acquire(Probe probe, String what) throws InterruptedException {
    if (!probe.starts().tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + " did not start within 30 s");
    }
  }

  /** Polls every millisecond until {@code value} reaches {@code target}. */
  static void waitUntil(LongSupplier value, long target, Duration max, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (value.getAsLong() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + ": reached " + value.getAsLong() + " of " + target + " within " + max);
      }
      Thread.sleep(1);
    }
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
