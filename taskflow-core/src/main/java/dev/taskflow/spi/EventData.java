package dev.taskflow.spi;

import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobProgress;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the {@code data} of the built-in events, so that every store writes the same shapes. Each
 * method returns a JSON object as text.
 */
public final class EventData {
  private EventData() {}

  /** {@code job.awaiting}: {@code {attempt, dependsOn, onParentFailure}}. */
  public static String awaiting(Job job) {
    ObjectNode n = base(job);
    var parents = n.putArray("dependsOn");
    for (var id : job.flow().dependsOn()) parents.add(id.toString());
    var policy = job.flow().onParentFailure();
    n.put("onParentFailure", policy == null ? null : policy.wireName());
    return n.toString();
  }

  /**
   * {@code batch.completed} and {@code batch.failed}: {@code {batchId, state, total, counts,
   * callbackJobId, description}}.
   */
  public static String batchFinished(BatchRecord b, String state, java.util.UUID callbackJobId) {
    ObjectNode n = JobCodec.MAPPER.createObjectNode();
    n.put("batchId", b.id().toString());
    n.put("state", state);
    n.put("total", b.total());
    ObjectNode counts = n.putObject("counts");
    b.counts().forEach((s, c) -> counts.put(s.wireName(), c));
    n.put("callbackJobId", callbackJobId == null ? null : callbackJobId.toString());
    n.put("description", BatchSpec.fromJson(b.specJson()).description());
    return n.toString();
  }

  /** {@code job.enqueued}: {@code {state, priority, attempt, reason}}. */
  public static String enqueued(Job job, String reason) {
    ObjectNode n = base(job);
    n.put("priority", job.priority());
    n.put("reason", reason);
    return n.toString();
  }

  /** {@code job.scheduled}: {@code {scheduledAt, attempt, reason}}. */
  public static String scheduled(Job job, Instant scheduledAt, String reason) {
    ObjectNode n = base(job);
    n.put("scheduledAt", scheduledAt.toString());
    n.put("reason", reason);
    return n.toString();
  }

  /** {@code job.started}: {@code {attempt, server}}. */
  public static String started(Job job, String server) {
    ObjectNode n = base(job);
    n.put("server", server);
    return n.toString();
  }

  /** {@code job.progress}: {@code {attempt, percent, message, step, steps}}. */
  public static String progress(int attempt, JobProgress p) {
    ObjectNode n = (ObjectNode) JobCodec.MAPPER.readTree(JobCodec.progressToJson(p));
    ObjectNode out = JobCodec.MAPPER.createObjectNode();
    out.put("attempt", attempt);
    out.setAll(n);
    return out.toString();
  }

  /** {@code job.completed}: {@code {attempt, result}}. */
  public static String completed(Job job, String resultJson) {
    ObjectNode n = base(job);
    n.set("result", resultJson == null ? null : JobCodec.MAPPER.readTree(resultJson));
    return n.toString();
  }

  /** {@code job.retrying}: {@code {attempt, maxAttempts, error: {type, message}, retryAt}}. */
  public static String retrying(Job job, JobError error, Instant retryAt) {
    ObjectNode n = base(job);
    n.put("maxAttempts", job.maxAttempts());
    n.set("error", errorSummary(error));
    n.put("retryAt", retryAt.toString());
    return n.toString();
  }

  /** {@code job.failed}: {@code {attempt, error: {type, message}}}. */
  public static String failed(Job job, JobError error) {
    ObjectNode n = base(job);
    n.set("error", errorSummary(error));
    return n.toString();
  }

  /** {@code job.cancelled}: {@code {attempt, reason}}. */
  public static String cancelled(Job job, String reason) {
    ObjectNode n = base(job);
    n.put("reason", reason);
    return n.toString();
  }

  /** {@code job.deleted}: {@code {attempt, reason}}. */
  public static String deleted(Job job, String reason) {
    return cancelled(job, reason);
  }

  /** {@code job.log}: {@code {attempt, message}}. */
  public static String log(int attempt, String message) {
    ObjectNode n = JobCodec.MAPPER.createObjectNode();
    n.put("attempt", attempt);
    n.put("message", message);
    return n.toString();
  }

  private static ObjectNode base(Job job) {
    ObjectNode n = JobCodec.MAPPER.createObjectNode();
    n.put("attempt", job.attempt());
    return n;
  }

  private static ObjectNode errorSummary(JobError e) {
    ObjectNode n = JobCodec.MAPPER.createObjectNode();
    n.put("type", e.type());
    n.put("message", e.message());
    return n;
  }
}
