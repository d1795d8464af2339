package dev.taskflow.spi;

import dev.taskflow.HistoryEntry;
import dev.taskflow.JobError;
import dev.taskflow.JobProgress;
import dev.taskflow.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON forms of a job's structured columns, for stores that keep them as text: tags, progress,
 * errors and history. One format, so a store written in another language can read them too.
 */
public final class JobCodec {
  /** A plain mapper (no default typing). */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JobCodec() {}

  public static String tagsToJson(List<String> tags) {
    ArrayNode a = MAPPER.createArrayNode();
    tags.forEach(a::add);
    return a.toString();
  }

  public static List<String> tagsFromJson(String json) {
    List<String> out = new ArrayList<>();
    if (json == null) return out;
    for (JsonNode n : MAPPER.readTree(json)) out.add(n.asString());
    return out;
  }

  /** Parent ids as a JSON array of strings, or null when there are none. */
  public static String idsToJson(List<UUID> ids) {
    if (ids == null || ids.isEmpty()) return null;
    ArrayNode a = MAPPER.createArrayNode();
    ids.forEach(id -> a.add(id.toString()));
    return a.toString();
  }

  public static List<UUID> idsFromJson(String json) {
    if (json == null) return List.of();
    List<UUID> out = new ArrayList<>();
    for (JsonNode n : MAPPER.readTree(json)) out.add(UUID.fromString(n.asString()));
    return out;
  }

  public static String progressToJson(JobProgress p) {
    if (p == null) return null;
    ObjectNode n = MAPPER.createObjectNode();
    n.put("percent", p.percent());
    n.put("message", p.message());
    if (p.step() != null) n.put("step", p.step());
    if (p.steps() != null) n.put("steps", p.steps());
    return n.toString();
  }

  public static JobProgress progressFromJson(String json) {
    if (json == null) return null;
    JsonNode n = MAPPER.readTree(json);
    return new JobProgress(
        n.path("percent").asInt(),
        n.path("message").isNull() || n.path("message").isMissingNode()
            ? null
            : n.path("message").asString(),
        n.has("step") ? n.get("step").asInt() : null,
        n.has("steps") ? n.get("steps").asInt() : null);
  }

  public static ObjectNode errorToNode(JobError e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("attempt", e.attempt());
    n.put("at", e.at().toString());
    n.put("type", e.type());
    n.put("message", e.message());
    n.put("stackTrace", e.stackTrace());
    return n;
  }

  public static String errorsToJson(List<JobError> errors) {
    ArrayNode a = MAPPER.createArrayNode();
    errors.forEach(e -> a.add(errorToNode(e)));
    return a.toString();
  }

  public static List<JobError> errorsFromJson(String json) {
    List<JobError> out = new ArrayList<>();
    if (json == null) return out;
    for (JsonNode n : MAPPER.readTree(json)) {
      out.add(
          new JobError(
              n.path("attempt").asInt(),
              Instant.parse(n.path("at").asString()),
              text(n, "type"),
              text(n, "message"),
              text(n, "stackTrace")));
    }
    return out;
  }

  public static ObjectNode historyToNode(HistoryEntry h) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("state", h.state().wireName());
    n.put("at", h.at().toString());
    n.put("reason", h.reason());
    n.put("server", h.server());
    return n;
  }

  public static String historyToJson(List<HistoryEntry> history) {
    ArrayNode a = MAPPER.createArrayNode();
    history.forEach(h -> a.add(historyToNode(h)));
    return a.toString();
  }

  public static List<HistoryEntry> historyFromJson(String json) {
    List<HistoryEntry> out = new ArrayList<>();
    if (json == null) return out;
    for (JsonNode n : MAPPER.readTree(json)) {
      out.add(
          new HistoryEntry(
              JobState.fromWire(n.path("state").asString()),
              Instant.parse(n.path("at").asString()),
              text(n, "reason"),
              text(n, "server")));
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
