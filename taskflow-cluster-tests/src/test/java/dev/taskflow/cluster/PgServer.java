package dev.taskflow.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL cluster of a Debian machine, driven with {@code pg_ctlcluster}: restarted in
 * {@code immediate} mode (a crash: no checkpoint, WAL replay at start) and always brought back.
 */
final class PgServer {
  private static final Duration UP_TIMEOUT = Duration.ofSeconds(60);

  private final String version;
  private final String host;
  private final int port;

  private PgServer(String version, String host, int port) {
    this.version = version;
    this.host = host;
    this.port = port;
  }

  /**
   * The cluster behind {@link PgClusterStore#URL}, when it runs on this machine and {@code
   * pg_ctlcluster} can drive it; otherwise the test is skipped (failed under CI).
   */
  static PgServer local() {
    URI uri = URI.create(PgClusterStore.URL.substring("jdbc:".length()));
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String why = null;
    String version = null;
    if (!List.of("127.0.0.1", "localhost", "::1", "[::1]").contains(host)) {
      why = "PostgreSQL at " + host + " is not on this machine";
    } else if (!Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
      why = "pg_ctlcluster (Debian's postgresql-common) is not installed";
    } else {
      try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
        List<String> vs = versions.map(p -> p.getFileName().toString()).sorted().toList();
        if (vs.isEmpty()) why = "/etc/postgresql holds no cluster";
        else version = vs.getLast();
      } catch (IOException e) {
        why = "cannot list /etc/postgresql: " + e;
      }
    }
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("under CI the PostgreSQL restart test must run: " + why);
      }
      Assumptions.abort("PostgreSQL restart test skipped: " + why);
    }
    return new PgServer(version, host, port);
  }

  /** Restarts the cluster in immediate mode; returns once it accepts connections again. */
  void restartImmediately() {
    try {
      run(
          "pg_ctlcluster",
          "--skip-systemctl-redirect",
          version,
          "main",
          "restart",
          "-m",
          "immediate");
    } finally {
      ensureUp();
    }
  }

  /** Starts the cluster if it is down, and waits until it accepts connections. */
  void ensureUp() {
    if (!isReady()) {
      try {
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start");
      } catch (IllegalStateException e) {
        // already starting or running: pg_isready below decides
        System.err.println("cluster tests: " + e.getMessage());
      }
    }
    await("PostgreSQL " + version + " accepts connections")
        .atMost(UP_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(this::isReady);
  }

  boolean isReady() {
    try {
      return run("pg_isready", "-q", "-h", host, "-p", Integer.toString(port)) == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  String version() {
    return version;
  }

  /** Runs a command; returns its exit code, or throws when it fails to run or exits non-zero. */
  private static int run(String... cmd) {
    List<String> command = new ArrayList<>(List.of(cmd));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0 && !command.getFirst().equals("pg_isready")) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
