package dev.taskflow.internal.engine;

import dev.taskflow.ResourceConfig;
import dev.taskflow.RetryPriority;
import java.util.Map;

/**
 * The job controls of the engine, validated and frozen by {@code TaskFlowBuilder}.
 *
 * @param retryPriority the priority of retries for workers that set none
 * @param resources adaptive limits of shared downstream resources, by name
 * @param typeResources job type to the resource it uses, for types whose worker names none
 */
public record EngineControls(
    RetryPriority retryPriority,
    Map<String, ResourceConfig> resources,
    Map<String, String> typeResources) {
  public static final EngineControls DEFAULT =
      new EngineControls(RetryPriority.KEEP, Map.of(), Map.of());

  public EngineControls {
    retryPriority = retryPriority == null ? RetryPriority.KEEP : retryPriority;
    resources = Map.copyOf(resources);
    typeResources = Map.copyOf(typeResources);
  }
}
