package dev.taskflow.memory;

import dev.taskflow.FlowLimit;
import dev.taskflow.LimitUsage;
import dev.taskflow.spi.LimitStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits of an {@link InMemoryStorage}: kept in its {@link MemoryLimits}, which its claims
 * consult under the same lock.
 */
final class MemoryLimitStore implements LimitStore {
  private final InMemoryStorage store;

  MemoryLimitStore(InMemoryStorage store) {
    this.store = store;
  }

  @Override
  public void save(FlowLimit limit) {
    Objects.requireNonNull(limit, "limit");
    store.locked(
        () -> {
          store.limitTable().save(limit);
          return null;
        });
  }

  @Override
  public Optional<FlowLimit> get(String name) {
    return store.locked(() -> store.limitTable().get(name));
  }

  @Override
  public List<FlowLimit> list() {
    return store.locked(() -> store.limitTable().list());
  }

  @Override
  public boolean delete(String name) {
    return store.locked(() -> store.limitTable().delete(name));
  }

  @Override
  public Optional<LimitUsage> usage(String name) {
    return store.locked(() -> store.limitTable().usage(name, store.tables(), store.now()));
  }
}
