package dev.taskflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench --quick} on memory and SQLite: every figure is produced, with positive numbers, and
 * the report is written. Speed is never asserted here (the benchmark checks its targets itself).
 */
class BenchCommandTest {
  private static final Pattern LINE = Pattern.compile("^bench (\\S+) (\\S+)((?: \\S+=\\S+)+)$");
  private static final List<String> PER_STORE =
      List.of(
          "store_loop",
          "enqueue_bulk_java",
          "enqueue_single_java",
          "drain_1k",
          "latency_idle",
          "latency_load",
          "drain_1k_with_2k_finished",
          "drain_1k_bad_listeners",
          "enqueue_bulk_http",
          "enqueue_single_http",
          "peak_rss",
          "dashboard_pages",
          "abuse");

  @TempDir Path dir;

  @Test
  void quick_mode_produces_every_figure_for_memory_and_sqlite_with_positive_values()
      throws Exception {
    Path docs = dir.resolve("benchmarks.md");
    Result r =
        bench(
            "--quick",
            "--store",
            "memory",
            "--store",
            "sqlite:" + dir.resolve("bench.db"),
            "--concurrency",
            "10",
            "--docs",
            docs.toString());

    assertThat(r.code).as(r.err).isZero();
    Map<String, Map<String, Double>> figures = parse(r.out);
    List<String> expected = new ArrayList<>();
    for (String store : List.of("memory", "sqlite")) {
      for (String f : PER_STORE) expected.add(store + " " + f);
    }
    expected.add("sqlite ceiling_jdbc");
    assertThat(figures.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    figures.forEach(
        (name, values) ->
            values.forEach(
                (k, v) -> {
                  if (!k.equals("load")) assertThat(v).as(name + " " + k).isPositive();
                }));
    assertThat(figures.get("sqlite drain_1k"))
        .containsKeys("ratio_to_ceiling", "ratio_to_store_loop");
    assertThat(figures.get("memory latency_load")).containsKey("rate_per_s");

    String report = Files.readString(docs, StandardCharsets.UTF_8);
    assertThat(report)
        .contains("## Machine", "## Figures: memory", "## Figures: sqlite", "## Targets")
        .contains(Report.NOTES);
    assertThat(dir.resolve("bench.db")).doesNotExist();
  }

  @Test
  void the_report_keeps_the_notes_written_below_the_marker() throws Exception {
    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(docs, "old figures\n" + Report.NOTES + "\nWhat bounds the drain: X\n");

    Result r =
        bench(
            "--quick",
            "--store",
            "memory",
            "--only",
            "enqueue_bulk_java",
            "--docs",
            docs.toString());

    assertThat(r.code).as(r.err).isZero();
    String report = Files.readString(docs, StandardCharsets.UTF_8);
    assertThat(report).doesNotContain("old figures").endsWith("\nWhat bounds the drain: X\n");
    assertThat(report).contains("enqueue_bulk_java");
  }

  @Test
  void an_existing_sqlite_file_is_refused_rather_than_overwritten() throws Exception {
    Path db = Files.writeString(dir.resolve("precious.db"), "data");

    Result r = bench("--quick", "--store", "sqlite:" + db);

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("precious.db", "exists");
    assertThat(Files.readString(db)).isEqualTo("data");
  }

  @Test
  void an_unknown_figure_is_refused_with_the_list_of_figures() {
    Result r = bench("--quick", "--only", "nonsense");

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("nonsense", "drain", "latency_idle");
  }

  private static Map<String, Map<String, Double>> parse(String out) {
    Map<String, Map<String, Double>> figures = new TreeMap<>();
    for (String line : out.split("\\R")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) continue;
      Map<String, Double> values = new TreeMap<>();
      for (String kv : m.group(3).trim().split(" ")) {
        String[] p = kv.split("=");
        values.put(p[0], Double.parseDouble(p[1]));
      }
      figures.put(m.group(1) + " " + m.group(2), values);
    }
    return figures;
  }

  private static Result bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new BenchCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
