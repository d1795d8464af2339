package dev.taskflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One report line per test: its name and its figures, printed and written to {@code
 * target/cluster-report.txt} (which holds the lines of the last run).
 */
final class ClusterReport {
  /** The first line this JVM writes starts the file afresh; later ones append. */
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private final String test;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  ClusterReport(String test) {
    this.test = test;
  }

  ClusterReport put(String figure, Object value) {
    figures.put(figure, value);
    return this;
  }

  String line() {
    return test
        + ": "
        + figures.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
  }

  /** Prints the line and appends it to the report file. */
  void write() {
    String line = line();
    System.out.println(line);
    Path file =
        Path.of(System.getProperty("taskflow.cluster.reportFile", "target/cluster-report.txt"));
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          STARTED.getAndSet(true)
              ? StandardOpenOption.APPEND
              : StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append the report line to " + file, e);
    }
  }
}
