package dev.taskflow.dashboard;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vendored static files (htmx, its SSE extension, Pico CSS, uPlot) and the dashboard's own CSS
 * and JS, served from the classpath. Only the names listed here are served.
 */
final class Assets {
  private static final String ROOT = "/dev/taskflow/dashboard/assets/";
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("dashboard.css", "text/css"),
          Map.entry("dashboard.js", "text/javascript"),
          Map.entry("favicon.svg", "image/svg+xml"),
          Map.entry("vendor/pico.min.css", "text/css"),
          Map.entry("vendor/uPlot.min.css", "text/css"),
          Map.entry("vendor/htmx.min.js", "text/javascript"),
          Map.entry("vendor/htmx-ext-sse.min.js", "text/javascript"),
          Map.entry("vendor/uPlot.iife.min.js", "text/javascript"));

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** Answers {@code GET <base>/assets/<name>}; 404 for any other name. */
  void serve(Context ctx, String name) {
    String type = TYPES.get(name);
    if (type == null) {
      ctx.status(404).contentType("text/plain").result("no such asset");
      return;
    }
    byte[] body = cache.computeIfAbsent(name, Assets::load);
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(type + (type.startsWith("text/") ? "; charset=utf-8" : ""));
    ctx.result(body);
  }

  private static byte[] load(String name) {
    try (InputStream in = Assets.class.getResourceAsStream(ROOT + name)) {
      if (in == null)
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading dashboard asset " + name, e);
    }
  }
}
