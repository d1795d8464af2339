package dev.taskflow.spi;

import dev.taskflow.JobFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a batch keeps besides its members: a description, metadata, and the callback job inserted
 * when every member has finished. Stored as JSON in the batch row, so every store keeps the same
 * shape.
 *
 * @param description free text, or null
 * @param metadataJson a JSON object as text, or null
 * @param callback the callback job with its id chosen up front, or null; its args gain a {@code
 *     batch} field when it is inserted ({@link #callbackJob})
 */
public record BatchSpec(String description, String metadataJson, NewJob callback) {

  public String toJson() {
    ObjectNode n = JobCodec.MAPPER.createObjectNode();
    n.put("description", description);
    n.set("metadata", metadataJson == null ? null : JobCodec.MAPPER.readTree(metadataJson));
    if (callback != null) {
      ObjectNode c = n.putObject("callback");
      c.put("id", callback.id().toString());
      c.put("type", callback.type());
      c.put("queue", callback.queue());
      c.put("priority", callback.priority());
      c.set("args", JobCodec.MAPPER.readTree(callback.argsJson()));
      c.put("maxAttempts", callback.maxAttempts());
      c.put("timeout", callback.timeout() == null ? null : callback.timeout().toString());
      c.put("delay", callback.delay() == null ? null : callback.delay().toString());
      c.put("uniqueKey", callback.uniqueKey());
      c.put("owner", callback.owner());
      var tags = c.putArray("tags");
      callback.tags().forEach(tags::add);
      c.put("concurrencyKey", callback.flow().concurrencyKey());
    }
    return n.toString();
  }

  public static BatchSpec fromJson(String json) {
    JsonNode n = JobCodec.MAPPER.readTree(json);
    JsonNode meta = n.path("metadata");
    JsonNode c = n.path("callback");
    NewJob callback = null;
    if (c.isObject()) {
      List<String> tags = new ArrayList<>();
      c.path("tags").forEach(t -> tags.add(t.asString()));
      String key = text(c, "concurrencyKey");
      callback =
          new NewJob(
              UUID.fromString(c.get("id").asString()),
              c.get("type").asString(),
              c.get("queue").asString(),
              c.path("priority").asInt(0),
              c.path("args").toString(),
              c.path("maxAttempts").asInt(1),
              duration(c, "timeout"),
              null,
              duration(c, "delay"),
              text(c, "uniqueKey"),
              text(c, "owner"),
              tags,
              key == null ? JobFlow.NONE : new JobFlow(List.of(), null, null, key, null, null),
              null,
              null);
    }
    return new BatchSpec(
        text(n, "description"), meta.isObject() ? meta.toString() : null, callback);
  }

  /**
   * The callback job to insert for a batch that finished in {@code state}: its args with a {@code
   * batch} field {@code {id, state, total, counts}} added.
   */
  public NewJob callbackJob(UUID batchId, String state, int total, Map<String, Long> counts) {
    ObjectNode args = (ObjectNode) JobCodec.MAPPER.readTree(callback.argsJson());
    ObjectNode b = args.putObject("batch");
    b.put("id", batchId.toString());
    b.put("state", state);
    b.put("total", total);
    ObjectNode cs = b.putObject("counts");
    counts.forEach(cs::put);
    return new NewJob(
        callback.id(),
        callback.type(),
        callback.queue(),
        callback.priority(),
        args.toString(),
        callback.maxAttempts(),
        callback.timeout(),
        null,
        callback.delay(),
        callback.uniqueKey(),
        callback.owner(),
        callback.tags(),
        callback.flow(),
        null,
        null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static Duration duration(JsonNode n, String field) {
    String s = text(n, field);
    return s == null ? null : Duration.parse(s);
  }
}
