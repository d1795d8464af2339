package dev.taskflow.spi;

import dev.taskflow.FlowLimit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The part of a limited claim that every store shares: which limits apply, which candidates a store
 * reads, in which order, and which of them fit. A store does the rest under its own serialisation
 * (one lock, one writer, or advisory locks on the limits' names) so that the counts it passes in
 * cannot change before its claim commits.
 *
 * <p>The candidate window: for each combination of (type, owner, concurrency key) at most {@code
 * max} enqueued jobs, in claim order, at most {@link #window(int)} in all. Jobs of one combination
 * fall in the same bucket of every limit, so when the first of them is blocked all are, and no
 * combination can take more than {@code max} places: a blocked backlog cannot hide the jobs behind
 * it. When an owner-scoped limit applies, the window is ordered round-robin between owners (each
 * owner's first job, then each owner's second, ...; by priority, then time, within a round).
 */
public final class LimitPlanner {

  /** What the planner needs of an enqueued job. */
  public record Candidate(UUID id, String type, String owner, String concurrencyKey) {}

  /** A start counted against a rate limit's bucket. */
  public record Start(String limit, String bucket) {}

  /**
   * The jobs to claim, in claim order, and the rate starts to record for each of them.
   *
   * @param picked ids to claim
   * @param starts per picked id, the rate buckets it counts against (absent: none)
   */
  public record Plan(List<UUID> picked, Map<UUID, List<Start>> starts) {
    public List<Start> startsOf(UUID id) {
      return starts.getOrDefault(id, List.of());
    }
  }

  /**
   * Counts per limit name and bucket, of running jobs and of starts within each rate period; the
   * planner adds its own picks as it goes.
   */
  public static final class Usage {
    private final Map<String, Map<String, Long>> running = new HashMap<>();
    private final Map<String, Map<String, Long>> recent = new HashMap<>();

    public void addRunning(String limit, String bucket, long n) {
      running.computeIfAbsent(limit, k -> new HashMap<>()).merge(bucket, n, Long::sum);
    }

    public void addRecent(String limit, String bucket, long n) {
      recent.computeIfAbsent(limit, k -> new HashMap<>()).merge(bucket, n, Long::sum);
    }

    public long running(String limit, String bucket) {
      return running.getOrDefault(limit, Map.of()).getOrDefault(bucket, 0L);
    }

    public long recent(String limit, String bucket) {
      return recent.getOrDefault(limit, Map.of()).getOrDefault(bucket, 0L);
    }
  }

  private LimitPlanner() {}

  /**
   * The limits that may apply to a claim: those whose queue is the claim's (or any) and whose type
   * is one the claimer takes (or any). Empty means the store may take its plain claim path.
   */
  public static List<FlowLimit> applicable(Collection<FlowLimit> limits, JobClaimParams p) {
    List<FlowLimit> out = new ArrayList<>();
    for (FlowLimit l : limits) {
      boolean queueOk = l.queue() == null || l.queue().equals(p.queue());
      boolean typeOk = l.type() == null || p.types().isEmpty() || p.types().contains(l.type());
      if (queueOk && typeOk) out.add(l);
    }
    out.sort(Comparator.comparing(FlowLimit::name));
    return out;
  }

  /** Whether the claim order is round-robin between owners: an owner-scoped limit applies. */
  public static boolean ownerFair(List<FlowLimit> applicable) {
    return applicable.stream().anyMatch(l -> l.scope() == FlowLimit.Scope.OWNER);
  }

  /** The most candidates a limited claim of {@code max} jobs reads. */
  public static int window(int max) {
    return Math.max(256, Math.min(max, 10_000) * 8);
  }

  /**
   * The candidate window from enqueued jobs given in claim order (priority descending, then
   * scheduledAt, then id): see the class comment. Stores that can compute it in SQL do so.
   */
  public static <T> List<T> window(
      List<T> claimOrder,
      java.util.function.Function<T, Candidate> view,
      int max,
      boolean ownerFair) {
    Map<List<String>, Integer> perCombination = new HashMap<>();
    Map<String, Integer> perOwner = new HashMap<>();
    List<T> kept = new ArrayList<>();
    List<Integer> rounds = new ArrayList<>();
    for (T t : claimOrder) {
      Candidate c = view.apply(t);
      int ownerRank = perOwner.merge(Objects.toString(c.owner(), "\0"), 1, Integer::sum);
      List<String> combination = java.util.Arrays.asList(c.type(), c.owner(), c.concurrencyKey());
      if (perCombination.merge(combination, 1, Integer::sum) > max) continue;
      kept.add(t);
      rounds.add(ownerFair ? ownerRank : 0);
    }
    List<Integer> order = new ArrayList<>(kept.size());
    for (int i = 0; i < kept.size(); i++) order.add(i);
    // stable: within a round, claim order
    order.sort(Comparator.comparingInt(rounds::get));
    List<T> out = new ArrayList<>(Math.min(order.size(), window(max)));
    for (int i : order) {
      if (out.size() >= window(max)) break;
      out.add(kept.get(i));
    }
    return out;
  }

  /**
   * Picks, in the given order, up to {@code p.max()} candidates that fit the type caps of the claim
   * and every applicable limit, counting each pick in {@code usage}.
   */
  public static Plan plan(
      List<FlowLimit> limits, List<Candidate> ordered, JobClaimParams p, Usage usage) {
    Map<String, Integer> capsLeft = new HashMap<>(p.typeLimits());
    List<UUID> picked = new ArrayList<>();
    Map<UUID, List<Start>> starts = new LinkedHashMap<>();
    List<FlowLimit> hits = new ArrayList<>();
    List<String> buckets = new ArrayList<>();
    for (Candidate c : ordered) {
      if (picked.size() >= p.max()) break;
      if (!p.types().isEmpty() && !p.types().contains(c.type())) continue;
      Integer cap = capsLeft.get(c.type());
      if (cap != null && cap <= 0) continue;
      hits.clear();
      buckets.clear();
      boolean fits = true;
      for (FlowLimit l : limits) {
        if (!l.matches(c.type(), p.queue())) continue;
        String b = l.bucket(c.owner(), c.concurrencyKey());
        if (b == null) continue;
        if (l.maxRunning() != null && usage.running(l.name(), b) >= l.maxRunning()
            || l.hasRate() && usage.recent(l.name(), b) >= l.rateCount()) {
          fits = false;
          break;
        }
        hits.add(l);
        buckets.add(b);
      }
      if (!fits) continue;
      if (cap != null) capsLeft.put(c.type(), cap - 1);
      picked.add(c.id());
      List<Start> rated = new ArrayList<>();
      for (int i = 0; i < hits.size(); i++) {
        FlowLimit l = hits.get(i);
        usage.addRunning(l.name(), buckets.get(i), 1);
        if (l.hasRate()) {
          usage.addRecent(l.name(), buckets.get(i), 1);
          rated.add(new Start(l.name(), buckets.get(i)));
        }
      }
      if (!rated.isEmpty()) starts.put(c.id(), rated);
    }
    return new Plan(picked, starts);
  }
}
