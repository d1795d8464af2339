package dev.taskflow.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TaskFlow node: a child JVM running the {@code taskflow} CLI ({@code
 * dev.taskflow.server.Main}) on the test's classpath, its output in a log file. It can be killed
 * ({@code SIGKILL}), paused ({@code SIGSTOP}) and resumed ({@code SIGCONT}).
 *
 * <p>Every node started is killed by {@link #close()}, by {@link #killAll()} and, should the test
 * JVM exit first, by a shutdown hook: no child outlives the test run.
 */
final class Node implements AutoCloseable {
  private static final Set<Node> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Node::killAll, "cluster-tests-kill-children"));
  }

  /** How long a node may take to start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern STARTED = Pattern.compile("TaskFlow server (\\S+) started on");

  private final String name;
  private final Process process;
  private final Path log;
  private volatile String serverId;

  private Node(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code taskflow <args>} in a new JVM; stdout and stderr go to {@code <dir>/<name>.log}.
   */
  static Node start(String name, Path dir, List<String> cliArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("dev.taskflow.server.Main");
    cmd.addAll(cliArgs);
    Path log = dir.resolve(name + ".log");
    try {
      Files.createDirectories(dir);
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("TASKFLOW_LOG_LEVEL", "INFO");
      Node node = new Node(name, pb.start(), log);
      LIVE.add(node);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name + ": " + cmd, e);
    }
  }

  /**
   * The test's full class path. Failsafe starts the test JVM from a manifest-only jar, so {@code
   * java.class.path} may hold only that jar; it passes the real one as {@code
   * surefire.test.class.path}.
   */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether a lease owner or server id names this node. */
  boolean owns(String owner) {
    return owner != null && owner.equals(serverId);
  }

  /** SIGKILL: no shutdown hook, no graceful release; returns once the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + name + " (pid " + pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the whole JVM freezes, as in a long stop-the-world pause. */
  void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() {
    signal("CONT");
  }

  private void signal(String sig) {
    try {
      Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).inheritIO().start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "kill -" + sig + " " + pid() + " (node " + name + ") failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + sig + " " + pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling node " + name, e);
    }
  }

  /** The node's output so far. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /**
   * The node's threads, from {@code jcmd <pid> Thread.print}, for a failure message that must show
   * where a loop of a live node is stuck.
   */
  String threadDump() {
    Path jcmd = Path.of(javaBinary()).resolveSibling("jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return name + " threads:\n" + out;
    } catch (IOException e) {
      return "(cannot dump the threads of " + name + ": " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted while dumping the threads of " + name + ")";
    }
  }

  /** The last lines of its output, for failure messages. */
  String logTail(int lines) {
    String[] all = log().split("\n");
    int from = Math.max(0, all.length - lines);
    return name
        + " (pid "
        + pid()
        + ", alive="
        + isAlive()
        + "):\n  "
        + String.join("\n  ", Arrays.copyOfRange(all, from, all.length));
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }

  /** Kills the process (a stopped process dies of SIGKILL too). */
  @Override
  public void close() {
    LIVE.remove(this);
    if (process.isAlive()) kill();
  }

  /** Kills every node still running. */
  static void killAll() {
    for (Node n : List.copyOf(LIVE)) {
      try {
        n.close();
      } catch (RuntimeException e) {
        System.err.println("cluster tests: could not kill " + n + ": " + e);
      }
    }
  }

  /**
   * Waits until the engine logged its start and returns its server id (the lease owner of its
   * jobs).
   *
   * @throws org.awaitility.core.ConditionTimeoutException when the node exits or does not start in
   *     time
   */
  String awaitStarted() {
    if (serverId != null) return serverId;
    await("node " + name + " started")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .failFast("node " + name + " exited before it started: " + logTail(20), () -> !isAlive())
        .until(() -> STARTED.matcher(log()).find());
    Matcher m = STARTED.matcher(log());
    m.find();
    serverId = m.group(1);
    return serverId;
  }

  /** Its server id, once {@link #awaitStarted()} returned. */
  String serverId() {
    return serverId;
  }
}
