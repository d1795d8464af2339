package dev.taskflow;

import java.util.Optional;

/**
 * The concurrency and rate limits kept in the store, which every server enforces at claim time (see
 * {@link FlowLimit}). A change applies at once on this server and within about a second on the
 * others.
 *
 * {@snippet :
 * taskflow.limits().put(FlowLimit.builder("one-import-per-tenant")
 *     .type("import.run")
 *     .scope(FlowLimit.Scope.OWNER)
 *     .maxRunning(1)
 *     .build());
 * }
 */
public interface Limits {
  /**
   * Whether the store keeps limits. When it does not, every other method here throws {@link
   * FeatureUnsupportedException}.
   */
  boolean supported();

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  Limits requireSupported();

  /** Inserts the limit, or replaces the one with its name; returns it. */
  FlowLimit put(FlowLimit limit);

  Optional<FlowLimit> get(String name);

  /** Every limit, in name order, in one page. */
  Page<FlowLimit> list();

  /** Removes a limit (its waiting jobs become claimable); false when none had the name. */
  boolean delete(String name);

  /** How much of the limit is in use now, per bucket; empty when no limit has the name. */
  Optional<LimitUsage> usage(String name);
}
