package dev.taskflow.spi;

import dev.taskflow.FlowLimit;
import dev.taskflow.LimitUsage;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide concurrency and rate limits of a store: an optional feature, handed out by
 * {@link Storage#limits()}. A store that keeps limits enforces them in {@link Storage#jobClaim}: it
 * never starts a job that would exceed a limit matching it, however many servers claim at once
 * (over-limit jobs stay enqueued); where a limit with an owner scope matches the queue, the claim
 * order is round-robin between owners (see {@link LimitPlanner}).
 */
public interface LimitStore {

  /**
   * Inserts or replaces a limit (matched by name). Every claim afterwards, on every server of the
   * store, keeps it (a store may cache limits for up to a second; its own changes apply at once).
   */
  void save(FlowLimit limit);

  Optional<FlowLimit> get(String name);

  /** Every limit, in name order. */
  List<FlowLimit> list();

  /** Removes a limit and its rate history; false when none had the name. */
  boolean delete(String name);

  /** Running jobs and recent starts per bucket of a limit, or empty when none has the name. */
  Optional<LimitUsage> usage(String name);
}
