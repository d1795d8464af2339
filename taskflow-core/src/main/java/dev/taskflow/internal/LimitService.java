package dev.taskflow.internal;

import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.FlowLimit;
import dev.taskflow.LimitUsage;
import dev.taskflow.Limits;
import dev.taskflow.Page;
import dev.taskflow.spi.LimitStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** The store-backed {@link Limits}. */
public final class LimitService implements Limits {
  private final Storage storage;
  private final Consumer<FlowLimit> changed;

  public LimitService(Storage storage, Consumer<FlowLimit> changed) {
    this.storage = storage;
    this.changed = changed;
  }

  /**
   * Whether the store keeps limits. When it does not, every other method here throws {@link
   * FeatureUnsupportedException}.
   */
  @Override
  public boolean supported() {
    return StorageFeature.LIMITS.isIn(storage);
  }

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  @Override
  public Limits requireSupported() {
    store();
    return this;
  }

  private LimitStore store() {
    return storage.limits().orElseThrow(() -> StorageFeature.LIMITS.missingIn(storage));
  }

  /** Inserts the limit, or replaces the one with its name; returns it. */
  @Override
  public FlowLimit put(FlowLimit limit) {
    Objects.requireNonNull(limit, "limit");
    store().save(limit);
    changed.accept(limit);
    return limit;
  }

  @Override
  public Optional<FlowLimit> get(String name) {
    return store().get(name);
  }

  /** Every limit, in name order. */
  @Override
  public Page<FlowLimit> list() {
    return Page.of(store().list());
  }

  /** Removes a limit (its waiting jobs become claimable); false when none had the name. */
  @Override
  public boolean delete(String name) {
    boolean deleted = store().delete(name);
    if (deleted) changed.accept(null);
    return deleted;
  }

  /** How much of the limit is in use now, per bucket; empty when no limit has the name. */
  @Override
  public Optional<LimitUsage> usage(String name) {
    return store().usage(name);
  }
}
