package dev.taskflow.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Chromium, driven by Playwright (which downloads no browser of its own). Outside CI
 * a machine without Chromium skips the browser tests with a message; in CI ({@code CI=true}) it
 * fails them.
 */
final class SystemChromium {
  static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private SystemChromium() {}

  /** The first {@code chromium} or {@code chromium-browser} on the PATH. */
  static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The Chromium to use, or a skipped (outside CI) / failed (in CI) test. */
  static Path require() {
    Optional<Path> found = find();
    if (found.isPresent()) return found.get();
    String msg =
        "no chromium or chromium-browser on the PATH; the dashboard browser tests need one"
            + " (Debian/Ubuntu: apt-get install -y chromium)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException(msg);
    Assumptions.abort(msg);
    throw new IllegalStateException("unreachable");
  }

  static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser launch(Playwright pw, Path chromium) {
    return pw.chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(chromium)
                .setHeadless(true)
                .setArgs(ARGS));
  }
}
