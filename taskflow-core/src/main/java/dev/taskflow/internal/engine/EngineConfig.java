package dev.taskflow.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The engine's settings, validated and frozen by {@code TaskFlowBuilder}.
 *
 * @param queues queue name to concurrency, for the queues this server runs
 * @param typeCaps job type to the most jobs of it that run at once on this server
 * @param controls retry priority and adaptive resource limits
 */
public record EngineConfig(
    String serverId,
    Clock clock,
    Map<String, Integer> queues,
    Map<String, Integer> typeCaps,
    boolean virtualThreads,
    Duration leaseDuration,
    Duration heartbeatInterval,
    Duration pollInterval,
    Duration eventPollInterval,
    Duration promoteInterval,
    Duration rescueInterval,
    Duration retentionInterval,
    Duration serverHeartbeatInterval,
    Duration progressWriteInterval,
    Duration leaderTtl,
    Retention retention,
    EngineControls controls) {

  public EngineConfig {
    queues = Map.copyOf(queues);
    typeCaps = Map.copyOf(typeCaps);
    controls = controls == null ? EngineControls.DEFAULT : controls;
  }

  /** How long finished jobs are kept; null keeps them forever. */
  public record Retention(
      Duration completed, Duration failed, Duration cancelled, Duration deleted) {
    public static final Retention DEFAULT =
        new Retention(
            Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(7));
  }
}
