package dev.taskflow.spi;

import dev.taskflow.FlowLimit;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored JSON form of a {@link FlowLimit}'s settings (its name is the row's key): {@code
 * {"type", "queue", "scope", "maxRunning", "rateCount", "ratePeriodMs"}}, absent fields null.
 */
public final class LimitCodec {
  private LimitCodec() {}

  public static String toJson(FlowLimit l) {
    ObjectNode o = JobCodec.MAPPER.createObjectNode();
    if (l.type() != null) o.put("type", l.type());
    if (l.queue() != null) o.put("queue", l.queue());
    o.put("scope", l.scope().wireName());
    if (l.maxRunning() != null) o.put("maxRunning", l.maxRunning().intValue());
    if (l.rateCount() != null) o.put("rateCount", l.rateCount().intValue());
    if (l.ratePeriod() != null) o.put("ratePeriodMs", l.ratePeriod().toMillis());
    return o.toString();
  }

  public static FlowLimit fromJson(String name, String json) {
    JsonNode o = JobCodec.MAPPER.readTree(json);
    return new FlowLimit(
        name,
        text(o, "type"),
        text(o, "queue"),
        FlowLimit.Scope.fromWire(text(o, "scope")),
        o.hasNonNull("maxRunning") ? o.get("maxRunning").asInt() : null,
        o.hasNonNull("rateCount") ? o.get("rateCount").asInt() : null,
        o.hasNonNull("ratePeriodMs") ? Duration.ofMillis(o.get("ratePeriodMs").asLong()) : null);
  }

  private static String text(JsonNode o, String field) {
    return o.hasNonNull(field) ? o.get(field).asString() : null;
  }
}
