package dev.taskflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One report line per test: its name and its figures, printed and appended to {@code
 * target/cluster-report.txt}.
 */
final class ClusterReport {
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
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append the report line to " + file, e);
    }
  }
}
