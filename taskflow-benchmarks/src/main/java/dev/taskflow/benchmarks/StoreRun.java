package dev.taskflow.benchmarks;

import java.util.function.Consumer;

/** Every figure of one store, in an order that lets each drain be compared with its references. */
final class StoreRun {
  private final Plan plan;
  private final BenchStore store;
  private final String only;
  private final Consumer<Figure> sink;
  private final EngineBench engine;
  private final SpiLoop loops;
  private final HttpBench http;
  private final Profiler profiler;
  private final Machine machine;

  StoreRun(
      Plan plan,
      Machine machine,
      Profiler profiler,
      BenchStore store,
      String only,
      Consumer<Figure> sink) {
    this.plan = plan;
    this.store = store;
    this.only = only;
    this.sink = sink;
    this.profiler = profiler;
    this.machine = machine;
    this.engine = new EngineBench(plan, machine);
    this.loops = new SpiLoop(plan, machine, engine);
    this.http = new HttpBench(plan, machine, profiler);
  }

  /** An exact --only name picks that figure alone; another prefix picks all that start with it. */
  private boolean wants(String figure) {
    if (only == null) return true;
    return BenchCommand.FIGURES.contains(only) ? figure.equals(only) : figure.startsWith(only);
  }

  void run() throws Exception {
    Figure loop = wants("store_loop") || wants("drain") ? loops.storeLoop(store) : null;
    if (loop != null && wants("store_loop")) emit(loop);
    Figure ceiling = null;
    if (store.hasJdbc() && (wants("ceiling_jdbc") || wants("drain"))) {
      ceiling = loops.ceilingJdbc(store);
      if (wants("ceiling_jdbc")) emit(ceiling);
    }
    if (wants("enqueue_bulk_java")) emit(engine.bulkEnqueue(store, profiler));
    if (wants("enqueue_single_java")) emit(engine.singleEnqueue(store));

    Figure drain = null;
    if (wants("drain") || wants("latency_load")) {
      drain = compare(engine.drain(store, plan.jobs(), 0, profiler), loop, ceiling);
      if (wants("drain")) emit(drain);
    }
    if (wants("latency_idle")) emit(engine.latencyIdle(store));
    if (wants("latency_load")) {
      emit(engine.latencyUnderLoad(store, drain.get("jobs_per_s") / 2));
    }
    if (wants("drain_history")) {
      Figure withHistory =
          compare(engine.drain(store, plan.jobs(), plan.history(), profiler), loop, ceiling);
      if (drain != null) {
        withHistory =
            withHistory.with(
                "ratio_to_empty_drain", withHistory.get("jobs_per_s") / drain.get("jobs_per_s"));
      }
      emit(withHistory);
    }
    if (wants("drain_bad_listeners")) {
      // Compared with a plain drain run right after it, both after a warm-up drain (the first
      // drain of a JVM pays the JIT's warm-up, which would otherwise favour whichever runs second).
      if (drain == null) engine.drain(store, plan.jobs(), 0, profiler);
      Figure bad = engine.drainWithBadListeners(store, plan.jobs(), profiler);
      Figure plain = engine.drain(store, plan.jobs(), 0, profiler);
      emit(
          bad.with("plain_jobs_per_s", plain.get("jobs_per_s"))
              .with("ratio_to_plain_drain", bad.get("jobs_per_s") / plain.get("jobs_per_s")));
    }
    if (wants("http")) http.run(store).forEach(this::emit);
    if (wants("dashboard_pages")) emit(new DashboardBench(plan, machine, engine).run(store));
    if (wants("abuse")) emit(new AbuseBench(plan, machine).run(store));
    store.wipe();
  }

  private static Figure compare(Figure drain, Figure loop, Figure ceiling) {
    Figure f = drain;
    if (ceiling != null) {
      f = f.with("ratio_to_ceiling", drain.get("jobs_per_s") / ceiling.get("jobs_per_s"));
    }
    if (loop != null) {
      f = f.with("ratio_to_store_loop", drain.get("jobs_per_s") / loop.get("jobs_per_s"));
    }
    return f;
  }

  private void emit(Figure f) {
    sink.accept(f);
  }
}
