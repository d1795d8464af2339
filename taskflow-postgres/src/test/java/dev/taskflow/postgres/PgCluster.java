package dev.taskflow.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Stops and starts the local PostgreSQL cluster (Debian's {@code pg_ctlcluster}, version found
 * under {@code /etc/postgresql}), for tests of what happens while the database is away. Whatever a
 * test does, {@link #ensureRunning()} brings it back.
 */
final class PgCluster {
  private static final Path CONFIG = Path.of("/etc/postgresql");

  private PgCluster() {}

  /** The cluster version, e.g. {@code 15}; skips the test when there is no local cluster. */
  static String version() {
    if (!Files.isDirectory(CONFIG) || !onPath("pg_ctlcluster")) {
      Assumptions.abort("no local PostgreSQL cluster to restart (pg_ctlcluster, /etc/postgresql)");
    }
    try (Stream<Path> s = Files.list(CONFIG)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9.]+"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow(() -> new IllegalStateException("no cluster version under " + CONFIG));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + CONFIG, e);
    }
  }

  static void stopImmediate() {
    run("pg_ctlcluster", "--skip-systemctl-redirect", version(), "main", "stop", "-m", "immediate");
  }

  static void restartImmediate() {
    run(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        version(),
        "main",
        "restart",
        "-m",
        "immediate");
  }

  static void start() {
    run("pg_ctlcluster", "--skip-systemctl-redirect", version(), "main", "start");
  }

  /** Starts the cluster if it is not accepting connections. */
  static void ensureRunning() {
    if (exit("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432") != 0) start();
  }

  private static void run(String... cmd) {
    int code = exit(cmd);
    if (code != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited with " + code);
  }

  private static int exit(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 60 s");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd[0], e);
    }
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) return true;
    }
    return false;
  }
}
