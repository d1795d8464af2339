package dev.taskflow.benchmarks;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code taskflow bench}: measures enqueue, drain, latency, history, memory and the plain-JDBC
 * ceiling per store, prints one line per figure and writes docs/benchmarks.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures TaskFlow on this machine: enqueue (Java and HTTP, bulk and single), the drain of"
          + " no-op jobs, enqueue-to-start latency (idle and under load), the drain with a big"
          + " history, the server's peak memory, and the plain-JDBC ceiling of the same database.",
      "Prints one line per figure, e.g. 'bench sqlite drain_100k jobs_per_s=18234"
          + " ratio_to_ceiling=0.41 load=0.12', and writes docs/benchmarks.md.",
      "Run it on a quiet machine: every figure records the load average before it."
    },
    footer = {
      "",
      "Examples:",
      "  taskflow bench --quick",
      "  taskflow bench --store sqlite:/tmp/bench.db --only drain --profile",
      "  taskflow bench --store memory --store sqlite:/tmp/bench.db"
    })
public final class BenchCommand implements Callable<Integer> {
  /** Figures that can be picked with --only (a prefix of a figure's name also works). */
  static final List<String> FIGURES =
      List.of(
          "store_loop",
          "ceiling_jdbc",
          "enqueue_bulk_java",
          "enqueue_single_java",
          "drain",
          "latency_idle",
          "latency_load",
          "drain_history",
          "drain_bad_listeners",
          "http",
          "dashboard_pages",
          "abuse");

  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      paramLabel = "memory|sqlite:PATH|postgres://…",
      description =
          "A store to measure; repeat for more (default: memory and a scratch SQLite file in the"
              + " temp directory). A sqlite:PATH must not exist: it is recreated for every figure.")
  List<String> stores = new ArrayList<>();

  @Option(
      names = "--only",
      paramLabel = "NAME",
      description = "Only this figure (or figures starting with it): ${COMPLETION-CANDIDATES}.",
      completionCandidates = FigureNames.class)
  String only;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Jobs in the drain and the bulk enqueue (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Concurrency of the queue on the server under test (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--quick",
      description = "Small sizes: a smoke test in seconds, not a measurement.")
  boolean quick;

  @Option(
      names = "--profile",
      description = "Record a JFR profile of each drain and summarise it in the report.")
  boolean profile;

  @Option(
      names = "--docs",
      paramLabel = "PATH",
      description =
          "Where to write the report (default: docs/benchmarks.md; with --quick, none unless"
              + " given).")
  Path docs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (jobs < 100) throw new ParameterException(spec.commandLine(), "--jobs must be >= 100");
    if (only != null && FIGURES.stream().noneMatch(f -> f.startsWith(only))) {
      throw new ParameterException(
          spec.commandLine(), "--only " + only + ": not a figure; one of " + FIGURES);
    }
    List<BenchStore> targets = new ArrayList<>();
    try {
      if (stores.isEmpty()) {
        targets.add(BenchStore.parse("memory"));
        targets.add(BenchStore.scratchSqlite());
      } else {
        for (String s : stores) targets.add(BenchStore.parse(s));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Plan plan = quick ? Plan.quick(concurrency) : Plan.full(jobs, concurrency);
    Machine machine = new Machine(Path.of(System.getProperty("java.io.tmpdir")));
    String loadBefore = machine.loadavg();
    double fsync = machine.fsyncMicros();
    Profiler profiler = new Profiler(profile);
    List<Figure> figures = new ArrayList<>();
    try {
      for (BenchStore store : targets) {
        new StoreRun(
                plan,
                machine,
                profiler,
                store,
                only,
                f -> {
                  figures.add(f);
                  out.println(f.line());
                  out.flush();
                })
            .run();
      }
    } finally {
      targets.forEach(BenchStore::wipe);
    }
    Path report = docs != null ? docs : quick ? null : Path.of("docs", "benchmarks.md");
    if (report != null) {
      List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
      if (!args.isEmpty() && args.get(0).equals("bench")) args.remove(0); // run through the CLI
      String command = "taskflow bench " + String.join(" ", args);
      Report.write(
          report,
          new Report.Run(
              command.trim(), machine, loadBefore, fsync, plan, figures, profiler.summaries()));
      out.println("wrote " + report);
    }
    for (Map.Entry<String, List<String>> p : profiler.summaries().entrySet()) {
      out.println("profile " + p.getKey());
      p.getValue().forEach(l -> out.println("  " + l));
    }
    return 0;
  }

  /** The names --only accepts. */
  static final class FigureNames extends ArrayList<String> {
    FigureNames() {
      super(FIGURES);
    }
  }
}
