package dev.taskflow;

import dev.taskflow.spi.Storage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

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
public final class Limits {
  private final Storage storage;
  private final Consumer<FlowLimit> changed;

  Limits(Storage storage, Consumer<FlowLimit> changed) {
    this.storage = storage;
    this.changed = changed;
  }

  /** Inserts the limit, or replaces the one with its name; returns it. */
  public FlowLimit put(FlowLimit limit) {
    Objects.requireNonNull(limit, "limit");
    storage.limitSave(limit);
    changed.accept(limit);
    return limit;
  }

  public Optional<FlowLimit> get(String name) {
    return storage.limitGet(name);
  }

  /** Every limit, in name order. */
  public List<FlowLimit> list() {
    return storage.limitList();
  }

  /** Removes a limit (its waiting jobs become claimable); false when none had the name. */
  public boolean delete(String name) {
    boolean deleted = storage.limitDelete(name);
    if (deleted) changed.accept(null);
    return deleted;
  }

  /** How much of the limit is in use now, per bucket; empty when no limit has the name. */
  public Optional<LimitUsage> usage(String name) {
    return storage.limitUsage(name);
  }
}
