package dev.taskflow.cluster;

import dev.taskflow.fixtures.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One TaskFlow node: a child JVM running the {@code taskflow} CLI ({@code
 * dev.taskflow.server.Main}) on the test's classpath, its output in a log file. It can be killed
 * ({@code SIGKILL}), paused ({@code SIGSTOP}) and resumed ({@code SIGCONT}); no node outlives the
 * test run ({@link ChildJvm}).
 */
final class Node implements AutoCloseable {
  /** How long a node may take to start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern STARTED = Pattern.compile("TaskFlow server (\\S+) started on");

  private final ChildJvm jvm;
  private volatile String serverId;

  private Node(ChildJvm jvm) {
    this.jvm = jvm;
  }

  /**
   * Starts {@code taskflow <args>} in a new JVM; stdout and stderr go to {@code <dir>/<name>.log}.
   */
  static Node start(String name, Path dir, List<String> cliArgs) {
    return new Node(
        ChildJvm.main("dev.taskflow.server.Main")
            .jvmArgs("-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED")
            .env("TASKFLOW_LOG_LEVEL", "INFO")
            .args(cliArgs)
            .start(dir.resolve(name + ".log")));
  }

  String name() {
    return jvm.name();
  }

  boolean isAlive() {
    return jvm.isAlive();
  }

  /** Whether a lease owner or server id names this node. */
  boolean owns(String owner) {
    return owner != null && owner.equals(serverId);
  }

  /** SIGKILL: no shutdown hook, no graceful release; returns once the process is gone. */
  void kill() {
    jvm.kill();
  }

  /** SIGSTOP: the whole JVM freezes, as in a long stop-the-world pause. */
  void pause() {
    jvm.pause();
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() {
    jvm.resume();
  }

  /** The node's output so far. */
  String log() {
    return jvm.log();
  }

  /** Where a loop of a live node is stuck, for a failure message. */
  String threadDump() {
    return jvm.threadDump();
  }

  /** The last lines of its output, for failure messages. */
  String logTail(int lines) {
    return jvm.logTail(lines);
  }

  @Override
  public String toString() {
    return jvm.toString();
  }

  /** Kills the process (a stopped process dies of SIGKILL too). */
  @Override
  public void close() {
    jvm.close();
  }

  /**
   * Waits until the engine logged its start and returns its server id (the lease owner of its
   * jobs).
   *
   * @throws org.awaitility.core.TerminalFailureException when the node exits first
   * @throws org.awaitility.core.ConditionTimeoutException when it does not start in time
   */
  String awaitStarted() {
    if (serverId == null) serverId = jvm.awaitLine(STARTED, START_TIMEOUT).group(1);
    return serverId;
  }

  /** Its server id, once {@link #awaitStarted()} returned. */
  String serverId() {
    return serverId;
  }
}
