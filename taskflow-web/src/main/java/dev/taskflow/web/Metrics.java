package dev.taskflow.web;

import dev.taskflow.JobState;
import dev.taskflow.QueueInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4), written by hand so the web
 * module needs no metrics library: job counts per state, queue depth per queue and state, paused
 * queues, the age of the oldest ready job, open SSE streams, and HTTP requests served (those of
 * plugins' API routes too, by {@link WebPluginContext#api}).
 */
public final class Metrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private record RequestKey(String method, String route, int status) {}

  private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();

  /** Counts one request by its route template (never the raw path, which would explode labels). */
  public void countRequest(String method, String route, int status) {
    requests
        .computeIfAbsent(new RequestKey(method, route, status), k -> new LongAdder())
        .increment();
  }

  /**
   * The {@code /metrics} text: these counts, the requests counted so far.
   *
   * @param openStreams SSE streams open now ({@code taskflow_sse_streams})
   */
  public String render(Map<JobState, Long> states, List<QueueInfo> queues, int openStreams) {
    StringBuilder sb = new StringBuilder(4096);
    header(sb, "taskflow_jobs", "gauge", "Jobs per state, from the store's counters.");
    for (JobState s : JobState.values()) {
      sample(sb, "taskflow_jobs", "state", s.wireName(), states.getOrDefault(s, 0L));
    }
    header(sb, "taskflow_queue_jobs", "gauge", "Jobs per queue and state.");
    for (QueueInfo q : queues) {
      for (JobState s : JobState.values()) {
        sb.append("taskflow_queue_jobs{queue=\"")
            .append(escape(q.name()))
            .append("\",state=\"")
            .append(s.wireName())
            .append("\"} ")
            .append(q.counts().getOrDefault(s, 0L))
            .append('\n');
      }
    }
    header(sb, "taskflow_queue_paused", "gauge", "1 when claiming from the queue is paused.");
    for (QueueInfo q : queues)
      sample(sb, "taskflow_queue_paused", "queue", q.name(), q.paused() ? 1 : 0);
    header(
        sb,
        "taskflow_queue_oldest_enqueued_age_seconds",
        "gauge",
        "How long the oldest ready job of the queue has waited (0 when none waits).");
    for (QueueInfo q : queues) {
      double age = q.oldestEnqueuedAge() == null ? 0 : q.oldestEnqueuedAge().toMillis() / 1000.0;
      sb.append("taskflow_queue_oldest_enqueued_age_seconds{queue=\"")
          .append(escape(q.name()))
          .append("\"} ")
          .append(age)
          .append('\n');
    }
    header(sb, "taskflow_sse_streams", "gauge", "Server-sent event streams open now.");
    sb.append("taskflow_sse_streams ").append(openStreams).append('\n');
    header(
        sb, "taskflow_http_requests_total", "counter", "HTTP requests served by the TaskFlow API.");
    requests.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<RequestKey, LongAdder> e) -> e.getKey().route())
                .thenComparing(e -> e.getKey().method())
                .thenComparingInt(e -> e.getKey().status()))
        .forEach(
            e ->
                sb.append("taskflow_http_requests_total{method=\"")
                    .append(e.getKey().method())
                    .append("\",route=\"")
                    .append(escape(e.getKey().route()))
                    .append("\",status=\"")
                    .append(e.getKey().status())
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n'));
    return sb.toString();
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder sb, String name, String label, String value, long v) {
    sb.append(name).append('{').append(label).append("=\"").append(escape(value)).append("\"} ");
    sb.append(v).append('\n');
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
