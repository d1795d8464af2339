package dev.taskflow.internal.recurring;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobRequest;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A schedule's definition as the JSON object stores keep in {@code spec}. The id and the paused
 * flag are columns of their own, so they are not in it.
 */
public final class RecurringCodec {
  private RecurringCodec() {}

  public static String toSpecJson(RecurringSchedule s) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    if (s.cron() != null) n.put("cron", s.cron());
    if (s.every() != null) n.put("every", s.every().toString());
    n.put("zone", s.zone().getId());
    ObjectNode job = n.putObject("job");
    JobRequest r = s.job();
    job.put("type", r.type());
    job.set("args", Json.tree(r.argsJson()));
    EnqueueOptions o = r.options();
    if (o.queue() != null) job.put("queue", o.queue());
    if (o.priority() != null) job.put("priority", o.priority());
    if (o.maxAttempts() != null) job.put("maxAttempts", o.maxAttempts());
    if (o.timeout() != null) job.put("timeout", o.timeout().toString());
    if (o.owner() != null) job.put("owner", o.owner());
    if (!o.tags().isEmpty()) o.tags().forEach(job.putArray("tags")::add);
    n.put("misfire", s.misfire().wireName());
    n.put("misfireLimit", s.misfireLimit());
    n.put("overlap", s.overlap().wireName());
    if (s.endAt() != null) n.put("endAt", s.endAt().toString());
    if (s.maxRuns() != null) n.put("maxRuns", s.maxRuns());
    return Json.write(n);
  }

  public static RecurringSchedule fromSpecJson(String id, boolean paused, String specJson) {
    JsonNode n = Json.tree(specJson);
    JsonNode job = n.path("job");
    EnqueueOptions o = EnqueueOptions.defaults();
    if (job.hasNonNull("queue")) o = o.queue(job.get("queue").asString());
    if (job.hasNonNull("priority")) o = o.priority(job.get("priority").asInt());
    if (job.hasNonNull("maxAttempts")) o = o.maxAttempts(job.get("maxAttempts").asInt());
    if (job.hasNonNull("timeout")) o = o.timeout(Duration.parse(job.get("timeout").asString()));
    if (job.hasNonNull("owner")) o = o.owner(job.get("owner").asString());
    if (job.has("tags")) {
      List<String> tags = new ArrayList<>();
      job.get("tags").forEach(t -> tags.add(t.asString()));
      o = o.tags(tags);
    }
    JsonNode args = job.path("args");
    JobRequest request =
        new JobRequest(
            job.path("type").asString(null), args.isObject() ? Json.write(args) : "{}", o);
    return new RecurringSchedule(
        id,
        n.hasNonNull("cron") ? n.get("cron").asString() : null,
        n.hasNonNull("every") ? Duration.parse(n.get("every").asString()) : null,
        ZoneId.of(n.path("zone").asString("UTC")),
        request,
        RecurringSchedule.Misfire.fromWire(n.path("misfire").asString("run_once")),
        n.path("misfireLimit").asInt(RecurringSchedule.DEFAULT_MISFIRE_LIMIT),
        RecurringSchedule.Overlap.fromWire(n.path("overlap").asString("allow")),
        paused,
        n.hasNonNull("endAt") ? Instant.parse(n.get("endAt").asString()) : null,
        n.hasNonNull("maxRuns") ? n.get("maxRuns").asLong() : null);
  }
}
