package dev.taskflow.internal.engine;

import dev.taskflow.Job;
import dev.taskflow.ResourceConfig;
import dev.taskflow.ResourceInfo;
import dev.taskflow.spi.JobFinish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The adaptive limits of this server's shared downstream resources, and which job types use them.
 * Before a claim, each resource's free room is reserved and split between its types (round robin,
 * starting at a rotating type, so that no type starves); the claim gets the shares as type limits,
 * so it never starts more of a resource's jobs than its room; afterwards the unused room goes back.
 */
final class ResourceLimits {
  private final Map<String, AimdLimiter> limiters = new TreeMap<>();
  private final Map<String, String> resourceOfType = new HashMap<>();
  private final Map<String, List<String>> typesOf = new TreeMap<>();
  private final AtomicInteger rotation = new AtomicInteger();

  /**
   * @param configs resource name to its settings
   * @param typeResources job type to the resource it uses (types of this server only)
   */
  ResourceLimits(Map<String, ResourceConfig> configs, Map<String, String> typeResources) {
    configs.forEach((name, c) -> limiters.put(name, new AimdLimiter(name, c)));
    new TreeMap<>(typeResources)
        .forEach(
            (type, resource) -> {
              if (!limiters.containsKey(resource)) {
                limiters.put(resource, new AimdLimiter(resource, new ResourceConfig()));
              }
              resourceOfType.put(type, resource);
              typesOf.computeIfAbsent(resource, r -> new ArrayList<>()).add(type);
            });
  }

  boolean isEmpty() {
    return resourceOfType.isEmpty();
  }

  /** The room reserved per resource and its split into per-type shares. */
  record Reservation(Map<String, Integer> room, Map<String, Integer> typeShares) {
    static final Reservation NONE = new Reservation(Map.of(), Map.of());
  }

  Reservation reserve() {
    if (resourceOfType.isEmpty()) return Reservation.NONE;
    Map<String, Integer> room = new HashMap<>();
    Map<String, Integer> shares = new HashMap<>();
    int start = rotation.getAndIncrement() & Integer.MAX_VALUE;
    typesOf.forEach(
        (resource, types) -> {
          int free = limiters.get(resource).reserve();
          room.put(resource, free);
          int m = types.size();
          for (int k = 0; k < m; k++) {
            int i = (start + k) % m;
            shares.put(types.get(i), free / m + (k < free % m ? 1 : 0));
          }
        });
    return new Reservation(room, shares);
  }

  /** The claim of {@code claimed} used part of the reservation; the rest goes back. */
  void settle(Reservation r, List<Job> claimed) {
    if (r.room().isEmpty()) return;
    Map<String, Integer> started = new HashMap<>();
    for (Job j : claimed) {
      String resource = resourceOfType.get(j.type());
      if (resource != null) started.merge(resource, 1, Integer::sum);
    }
    r.room()
        .forEach(
            (resource, room) ->
                limiters.get(resource).settle(room, started.getOrDefault(resource, 0)));
  }

  /**
   * Whether another claim right away may start more: some resource kept room while one of its types
   * used its whole share (its jobs may be waiting beyond it).
   */
  boolean worthAnotherRound(Reservation r, List<Job> claimed) {
    if (r.room().isEmpty()) return false;
    Map<String, Integer> perType = new HashMap<>();
    for (Job j : claimed) perType.merge(j.type(), 1, Integer::sum);
    for (Map.Entry<String, List<String>> e : typesOf.entrySet()) {
      int used = 0;
      boolean saturated = false;
      for (String t : e.getValue()) {
        int n = perType.getOrDefault(t, 0);
        used += n;
        if (n > 0 && n >= r.typeShares().getOrDefault(t, 0)) saturated = true;
      }
      if (e.getValue().size() > 1 && saturated && used < r.room().getOrDefault(e.getKey(), 0)) {
        return true;
      }
    }
    return false;
  }

  /** Type limits for the claim: the shares, within the type caps already reserved. */
  Map<String, Integer> typeLimits(Map<String, Integer> capped, Reservation r) {
    if (r.typeShares().isEmpty()) return capped;
    Map<String, Integer> out = new HashMap<>(capped);
    r.typeShares().forEach((type, share) -> out.merge(type, share, Math::min));
    return out;
  }

  /** An attempt of {@code type} ended with {@code outcome} after {@code latency}. */
  void finished(String type, JobFinish outcome, Duration latency) {
    String resource = resourceOfType.get(type);
    if (resource == null) return;
    AimdLimiter l = limiters.get(resource);
    switch (outcome) {
      case JobFinish.Completed c -> l.succeeded(latency);
      case JobFinish.Retry r -> l.failed();
      case JobFinish.Failed f -> l.failed();
      case null, default -> l.released();
    }
  }

  /** An attempt of {@code type} was claimed but never ran. */
  void release(String type) {
    String resource = resourceOfType.get(type);
    if (resource != null) limiters.get(resource).released();
  }

  List<ResourceInfo> info() {
    List<ResourceInfo> out = new ArrayList<>();
    limiters.forEach((name, l) -> out.add(l.info(typesOf.getOrDefault(name, List.of()))));
    return out;
  }
}
