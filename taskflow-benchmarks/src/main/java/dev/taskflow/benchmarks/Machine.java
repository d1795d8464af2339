package dev.taskflow.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the figures ran on, read from /proc and the JVM; blank where the OS does not say. */
final class Machine {
  private final Path scratchDir;

  Machine(Path scratchDir) {
    this.scratchDir = scratchDir;
  }

  /** The 1-minute load average, or -1 where /proc/loadavg does not exist. */
  double load() {
    String l = loadavg();
    if (l.isEmpty()) return -1;
    return Double.parseDouble(l.split("\\s+")[0]);
  }

  /** The whole /proc/loadavg line. */
  String loadavg() {
    return read(Path.of("/proc/loadavg")).trim();
  }

  int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  String cpuModel() {
    for (String line : read(Path.of("/proc/cpuinfo")).split("\n")) {
      if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
    }
    return System.getProperty("os.arch");
  }

  String memory() {
    for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("\\D", ""));
        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  String jdk() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vm.vendor")
        + ")";
  }

  String os() {
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  /** {@code psql --version}, or a note that it is not installed. */
  String postgresVersion() {
    for (String cmd : List.of("psql", "postgres")) {
      try {
        Process p = new ProcessBuilder(cmd, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return out;
      } catch (IOException e) {
        // not on the PATH: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "not found on the PATH";
  }

  /** Mean time of a 4 KiB write + fdatasync in the scratch directory, in microseconds. */
  double fsyncMicros() {
    Path f = scratchDir.resolve("fsync-probe.bin");
    try (FileChannel ch =
        FileChannel.open(
            f,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.DELETE_ON_CLOSE)) {
      ByteBuffer page = ByteBuffer.allocate(4096);
      int n = 300;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        page.clear();
        ch.write(page, 0);
        ch.force(false);
      }
      return (System.nanoTime() - t0) / 1e3 / n;
    } catch (IOException e) {
      return -1;
    }
  }

  Path scratchDir() {
    return scratchDir;
  }

  /** VmHWM (peak resident set) of a process, in MiB, or -1 where /proc does not say. */
  static double peakRssMib(long pid) {
    for (String line : read(Path.of("/proc/" + pid + "/status")).split("\n")) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
    }
    return -1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
