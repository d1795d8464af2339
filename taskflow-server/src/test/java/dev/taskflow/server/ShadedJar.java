package dev.taskflow.server;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import dev.taskflow.fixtures.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The runnable jar that {@code package} builds ({@code target/taskflow.jar}), which the ITs run in
 * child JVMs as users run it, and the folder where they leave their reports and the children's
 * logs.
 */
final class ShadedJar {
  private ShadedJar() {}

  /** {@code java -jar taskflow.jar <args>}, to start with its log. */
  static ChildJvm.Builder run(String... args) {
    return ChildJvm.jar(Path.of(System.getProperty("taskflow.jar", "target/taskflow.jar")))
        .args(args);
  }

  static Path reportDir() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("taskflow.reportDir", "target")));
  }

  /** Copies the children's logs ({@code *.log} in {@code dir}) to the report folder. */
  static void keepLogs(Path dir, String prefix) throws IOException {
    try (var logs = Files.newDirectoryStream(dir, "*.log")) {
      for (Path log : logs) {
        Files.copy(log, reportDir().resolve(prefix + log.getFileName()), REPLACE_EXISTING);
      }
    }
  }

  /** Prints a report line and appends it to {@code file} in the report folder. */
  static void report(String file, String line) throws IOException {
    System.out.println(line);
    Files.writeString(
        reportDir().resolve(file),
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
