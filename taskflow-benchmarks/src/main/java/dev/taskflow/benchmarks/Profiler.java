package dev.taskflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * With {@code --profile}: a JDK Flight Recorder recording (method samples of threads running Java
 * every 10 ms, and of threads in native code, e.g. SQLite, every 20 ms) around each drain, summed
 * up as the share of samples per TaskFlow component, per thread and per method. This is what
 * docs/benchmarks.md cites when a target is missed.
 */
final class Profiler {
  private static final String CPU = "jdk.ExecutionSample";
  private static final String NATIVE = "jdk.NativeMethodSample";

  private final boolean enabled;
  private final Map<String, List<String>> summaries = new java.util.LinkedHashMap<>();
  private Recording recording;
  private String label;

  Profiler(boolean enabled) {
    this.enabled = enabled;
  }

  void start(String label) {
    if (!enabled) return;
    this.label = label;
    recording = new Recording();
    recording.enable(CPU).withPeriod(Duration.ofMillis(10));
    recording.enable(NATIVE).withPeriod(Duration.ofMillis(20));
    recording.start();
  }

  void stop() {
    if (recording == null) return;
    try {
      recording.stop();
      Path file = Files.createTempFile("taskflow-bench", ".jfr");
      try {
        recording.dump(file);
        summaries.put(label, summarize(RecordingFile.readAllEvents(file)));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write or read the JFR recording of " + label, e);
    } finally {
      recording.close();
      recording = null;
    }
  }

  boolean enabled() {
    return enabled;
  }

  /** Adds the summary of a recording another JVM wrote (the child server's). */
  void addRecording(String label, Path file) {
    try {
      summaries.put(label, summarize(RecordingFile.readAllEvents(file)));
      Files.deleteIfExists(file);
    } catch (IOException e) {
      summaries.put(label, List.of("- no recording: " + e.getMessage()));
    }
  }

  /** Markdown lines per profiled figure, in the order they ran. */
  Map<String, List<String>> summaries() {
    return summaries;
  }

  private static List<String> summarize(List<RecordedEvent> events) {
    List<String> out = new ArrayList<>();
    for (String type : List.of(CPU, NATIVE)) {
      List<RecordedEvent> samples = new ArrayList<>();
      for (RecordedEvent e : events) {
        if (e.getEventType().getName().equals(type) && e.getStackTrace() != null && !idle(e)) {
          samples.add(e);
        }
      }
      String what =
          type.equals(CPU) ? "on-CPU Java samples" : "in-native samples (idle I/O waits left out)";
      out.add("- " + samples.size() + " " + what);
      if (samples.isEmpty()) continue;
      out.add("  - by component: " + top(samples, Profiler::component, 8));
      out.add("  - by thread: " + top(samples, Profiler::thread, 6));
      out.add("  - by TaskFlow method (innermost): " + top(samples, Profiler::taskflowFrame, 8));
      out.add("  - by method (self): " + top(samples, Profiler::selfFrame, 8));
    }
    return out;
  }

  private static String top(
      List<RecordedEvent> samples, Function<RecordedEvent, String> key, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (RecordedEvent e : samples) counts.merge(key.apply(e), 1, Integer::sum);
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, sorted.size()); i++) {
      if (i > 0) sb.append(", ");
      Map.Entry<String, Integer> en = sorted.get(i);
      sb.append('`')
          .append(en.getKey())
          .append("` ")
          .append(String.format(Locale.ROOT, "%.0f%%", 100.0 * en.getValue() / samples.size()));
    }
    return sb.toString();
  }

  /** A thread parked in native code waiting for I/O (a selector, accept, stdin) is not busy. */
  private static boolean idle(RecordedEvent e) {
    List<RecordedFrame> frames = e.getStackTrace().getFrames();
    if (frames.isEmpty()) return false;
    String top = frames.get(0).getMethod().getName();
    return top.equals("wait") && frames.get(0).getMethod().getType().getName().endsWith("EPoll")
        || top.equals("readBytes") // BenchServer waiting on its stdin
        || top.equals("accept")
        || top.equals("accept0");
  }

  /** The TaskFlow component that owns the sample: the innermost dev.taskflow frame's package. */
  static String component(RecordedEvent e) {
    for (RecordedFrame f : e.getStackTrace().getFrames()) {
      String c = f.getMethod().getType().getName();
      if (!c.startsWith("dev.taskflow.")) continue;
      if (c.startsWith("dev.taskflow.internal.engine.")) return "engine";
      if (c.startsWith("dev.taskflow.jdbc.")) return "store (shared JDBC)";
      if (c.startsWith("dev.taskflow.sqlite.")) return "store (SQLite)";
      if (c.startsWith("dev.taskflow.postgres.")) return "store (PostgreSQL)";
      if (c.startsWith("dev.taskflow.memory.")) return "store (memory)";
      if (c.startsWith("dev.taskflow.web.")) return "web";
      if (c.startsWith("dev.taskflow.dashboard.")) return "dashboard";
      if (c.startsWith("dev.taskflow.webhooks.")) return "webhooks";
      if (c.startsWith("dev.taskflow.benchmarks.")) return "benchmark harness";
      return "core (API, JSON, validation)";
    }
    return "JDK only (scheduling, GC support, other)";
  }

  private static String thread(RecordedEvent e) {
    var t = e.getThread("sampledThread");
    String name = t == null ? null : t.getJavaName();
    if (name == null || name.isEmpty()) return "virtual (job threads)";
    return name.replaceAll("\\d+", "#");
  }

  private static String taskflowFrame(RecordedEvent e) {
    for (RecordedFrame f : e.getStackTrace().getFrames()) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("dev.taskflow.")) return simple(c) + "." + f.getMethod().getName();
    }
    return "(none)";
  }

  private static String selfFrame(RecordedEvent e) {
    List<RecordedFrame> frames = e.getStackTrace().getFrames();
    if (frames.isEmpty()) return "(none)";
    RecordedFrame f = frames.get(0);
    return simple(f.getMethod().getType().getName()) + "." + f.getMethod().getName();
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
