package dev.taskflow.memory;

import dev.taskflow.FlowLimit;
import dev.taskflow.JobState;
import dev.taskflow.LimitUsage;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.LimitPlanner;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The limits of an {@link InMemoryStorage} and the starts counted against their rates. Not
 * thread-safe: the store calls it under its lock, which also serialises claims, so counts cannot
 * change between reading them and claiming.
 */
final class MemoryLimits {
  private final TreeMap<String, FlowLimit> limits = new TreeMap<>();

  /** Start times per limit name and bucket, oldest first. */
  private final Map<String, Map<String, ArrayDeque<Instant>>> starts = new HashMap<>();

  void save(FlowLimit l) {
    FlowLimit old = limits.put(l.name(), l);
    if (old != null && !l.hasRate()) starts.remove(l.name());
  }

  Optional<FlowLimit> get(String name) {
    return Optional.ofNullable(limits.get(name));
  }

  List<FlowLimit> list() {
    return List.copyOf(limits.values());
  }

  boolean delete(String name) {
    starts.remove(name);
    return limits.remove(name) != null;
  }

  void clear() {
    limits.clear();
    starts.clear();
  }

  Optional<LimitUsage> usage(String name, MemoryTables t, Instant now) {
    FlowLimit l = limits.get(name);
    if (l == null) return Optional.empty();
    Map<String, Long> running = new HashMap<>();
    for (MemoryJob j : t.leased) {
      if (!l.matches(j.type, j.queue)) continue;
      String b = l.bucket(j.owner, j.flow.concurrencyKey());
      if (b != null) running.merge(b, 1L, Long::sum);
    }
    Map<String, Long> recent = new HashMap<>();
    if (l.hasRate()) {
      prune(l, now);
      starts.getOrDefault(name, Map.of()).forEach((b, q) -> recent.put(b, (long) q.size()));
      recent.values().removeIf(n -> n == 0);
    }
    return Optional.of(new LimitUsage(name, running, recent));
  }

  /**
   * The ready jobs of the queue to claim under the applicable limits, in claim order, with their
   * rate starts recorded; or null when no limit applies (the plain claim path). Jobs past their
   * start deadline are never picked, so they record no start.
   */
  List<MemoryJob> pick(MemoryTables.QueueIndex q, MemoryTables t, JobClaimParams p, Instant now) {
    if (limits.isEmpty()) return null;
    List<FlowLimit> applicable = LimitPlanner.applicable(limits.values(), p);
    if (applicable.isEmpty()) return null;
    LimitPlanner.Usage usage = new LimitPlanner.Usage();
    for (FlowLimit l : applicable) {
      if (l.maxRunning() != null) {
        for (MemoryJob j : t.leased) {
          if (j.state != JobState.PROCESSING || !l.matches(j.type, j.queue)) continue;
          String b = l.bucket(j.owner, j.flow.concurrencyKey());
          if (b != null) usage.addRunning(l.name(), b, 1);
        }
      }
      if (l.hasRate()) {
        prune(l, now);
        starts
            .getOrDefault(l.name(), Map.of())
            .forEach((b, s) -> usage.addRecent(l.name(), b, s.size()));
      }
    }
    List<MemoryJob> claimOrder = new ArrayList<>();
    for (MemoryJob j : q.ready) {
      if (p.allowsType(j.type)) claimOrder.add(j);
    }
    List<MemoryJob> window =
        LimitPlanner.window(
            claimOrder, MemoryLimits::candidate, p.max(), LimitPlanner.ownerFair(applicable));
    Map<UUID, MemoryJob> byId = new HashMap<>();
    List<LimitPlanner.Candidate> candidates = new ArrayList<>(window.size());
    for (MemoryJob j : window) {
      // Past its start deadline: never starts, so it must not take a place (or a rate start) from
      // the jobs behind it. As in the JDBC stores, it still counts towards the window's size.
      if (MemoryFlow.expired(j, now)) continue;
      byId.put(j.id, j);
      candidates.add(candidate(j));
    }
    LimitPlanner.Plan plan = LimitPlanner.plan(applicable, candidates, p, usage);
    List<MemoryJob> out = new ArrayList<>(plan.picked().size());
    for (UUID id : plan.picked()) {
      out.add(byId.get(id));
      for (LimitPlanner.Start s : plan.startsOf(id)) {
        starts
            .computeIfAbsent(s.limit(), k -> new HashMap<>())
            .computeIfAbsent(s.bucket(), k -> new ArrayDeque<>())
            .addLast(now);
      }
    }
    return out;
  }

  private static LimitPlanner.Candidate candidate(MemoryJob j) {
    return new LimitPlanner.Candidate(j.id, j.type, j.owner, j.flow.concurrencyKey());
  }

  /** Forgets starts at or before {@code now - period}: they no longer count. */
  private void prune(FlowLimit l, Instant now) {
    Map<String, ArrayDeque<Instant>> buckets = starts.get(l.name());
    if (buckets == null) return;
    Instant cutoff = now.minus(l.ratePeriod());
    buckets
        .values()
        .forEach(
            s -> {
              while (!s.isEmpty() && !s.peekFirst().isAfter(cutoff)) s.pollFirst();
            });
    buckets.values().removeIf(ArrayDeque::isEmpty);
  }
}
