package dev.taskflow.memory;

import dev.taskflow.spi.CursorAdvanceParams;
import dev.taskflow.spi.CursorStore;
import java.util.Objects;

/** The event cursors of an {@link InMemoryStorage}, in its tables and under its lock. */
final class MemoryCursorStore implements CursorStore {
  private final InMemoryStorage store;

  MemoryCursorStore(InMemoryStorage store) {
    this.store = store;
  }

  @Override
  public long get(String name) {
    Objects.requireNonNull(name, "name");
    return store.locked(
        () -> {
          MemoryTables t = store.tables();
          return t.cursors.computeIfAbsent(name, n -> (long) t.events.size());
        });
  }

  @Override
  public boolean advance(CursorAdvanceParams p) {
    return store.locked(
        () -> {
          MemoryTables t = store.tables();
          Long at = t.cursors.get(p.name());
          if (at == null || at != p.expectedPosition()) return false;
          store.insertManyLocked(p.jobs(), p.serverId(), false); // throws before the cursor moves
          t.cursors.put(p.name(), p.newPosition());
          return true;
        });
  }
}
