package dev.taskflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Issue 3's targets for this 2-core machine, checked against the figures (never by a test). */
final class Targets {
  private Targets() {}

  record Verdict(String target, String store, String measured, boolean met, String margin) {}

  static List<Verdict> check(List<Figure> figures, List<String> stores) {
    List<Verdict> out = new ArrayList<>();
    for (String s : stores) {
      Optional<Figure> drain = find(figures, s, f -> f.name().matches("drain_[^_]+"));
      Optional<Figure> history = find(figures, s, f -> f.name().contains("_finished"));
      if (!s.equals("memory")) {
        drain.ifPresent(
            d -> out.add(atLeast("drain ≥ 20,000 jobs/s", s, d.get("jobs_per_s"), 20_000, "")));
      }
      for (String name : List.of("enqueue_bulk_java", "enqueue_bulk_http")) {
        find(figures, s, f -> f.name().equals(name))
            .ifPresent(
                b ->
                    out.add(
                        atLeast(
                            "bulk enqueue ≥ 100,000 jobs/s (" + name + ")",
                            s,
                            b.get("jobs_per_s"),
                            100_000,
                            "")));
      }
      find(figures, s, f -> f.name().equals("latency_idle"))
          .ifPresent(
              l -> {
                out.add(atMost("idle enqueue-to-start p50 ≤ 5 ms", s, l.get("p50_ms"), 5, " ms"));
                out.add(atMost("idle enqueue-to-start p99 ≤ 25 ms", s, l.get("p99_ms"), 25, " ms"));
              });
      if (drain.isPresent() && history.isPresent()) {
        double ratio = history.get().get("jobs_per_s") / drain.get().get("jobs_per_s");
        out.add(
            atLeast(
                "drain with 1M finished rows ≥ 90% of the empty-table drain",
                s, ratio * 100, 90, " %"));
      }
      find(figures, s, f -> f.name().equals("dashboard_pages"))
          .ifPresent(
              d ->
                  out.add(
                      atMost(
                          "(issue 4) every dashboard page renders in < 300 ms of server time with "
                              + Figure.format(d.get("jobs_in_store"))
                              + " jobs",
                          s,
                          d.get("max_render_ms"),
                          300,
                          " ms")));
      if (drain.isPresent() && drain.get().values().containsKey("ratio_to_ceiling")) {
        String t =
            s.equals("postgres")
                ? "drain within 2× of the plain-JDBC ceiling"
                : "(for information) drain within 2× of the plain-JDBC ceiling";
        out.add(atLeast(t, s, drain.get().get("ratio_to_ceiling"), 0.5, "× of ceiling"));
      }
    }
    return out;
  }

  private static Optional<Figure> find(
      List<Figure> figures, String store, java.util.function.Predicate<Figure> p) {
    return figures.stream().filter(f -> f.store().equals(store) && p.test(f)).findFirst();
  }

  private static Verdict atLeast(String t, String s, double v, double goal, String unit) {
    boolean met = v >= goal;
    return new Verdict(t, s, Figure.format(v) + unit, met, margin(v, goal, met));
  }

  private static Verdict atMost(String t, String s, double v, double goal, String unit) {
    boolean met = v <= goal;
    return new Verdict(t, s, Figure.format(v) + unit, met, margin(v, goal, met));
  }

  private static String margin(double v, double goal, boolean met) {
    double pct = Math.abs(v - goal) / goal * 100;
    return String.format(
        Locale.ROOT, "%s by %.0f%% (%.2f× the goal)", met ? "met" : "missed", pct, v / goal);
  }
}
