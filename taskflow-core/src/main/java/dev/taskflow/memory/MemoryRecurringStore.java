package dev.taskflow.memory;

import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.RecurringDueParams;
import dev.taskflow.spi.RecurringFireParams;
import dev.taskflow.spi.RecurringListParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringSaveParams;
import dev.taskflow.spi.RecurringStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The recurring schedules of an {@link InMemoryStorage}, in its tables and under its lock. */
final class MemoryRecurringStore implements RecurringStore {
  private final InMemoryStorage store;

  MemoryRecurringStore(InMemoryStorage store) {
    this.store = store;
  }

  @Override
  public boolean save(RecurringSaveParams p) {
    return store.locked(
        () -> {
          Instant now = store.now();
          var recurring = store.tables().recurring;
          RecurringRecord old = recurring.get(p.id());
          recurring.put(
              p.id(),
              new RecurringRecord(
                  p.id(),
                  p.specJson(),
                  p.paused(),
                  p.nextFireAt(),
                  old == null ? null : old.lastFireAt(),
                  old == null ? null : old.lastJobId(),
                  old == null ? 0 : old.runs(),
                  old == null ? now : old.createdAt(),
                  now));
          return old == null;
        });
  }

  @Override
  public Optional<RecurringRecord> get(String id) {
    return store.locked(() -> Optional.ofNullable(store.tables().recurring.get(id)));
  }

  @Override
  public List<RecurringRecord> list(RecurringListParams p) {
    return store.locked(
        () -> {
          var all = store.tables().recurring;
          return (p.afterId() == null ? all : all.tailMap(p.afterId(), false))
              .values().stream().limit(p.limit()).toList();
        });
  }

  @Override
  public boolean delete(String id) {
    return store.locked(() -> store.tables().recurring.remove(id) != null);
  }

  @Override
  public List<RecurringRecord> due(RecurringDueParams p) {
    return store.locked(
        () -> {
          Instant until = store.now().plus(p.within());
          return store.tables().recurring.values().stream()
              .filter(r -> !r.paused() && r.nextFireAt() != null && !r.nextFireAt().isAfter(until))
              .sorted(
                  Comparator.comparing(RecurringRecord::nextFireAt)
                      .thenComparing(RecurringRecord::id))
              .limit(p.limit())
              .toList();
        });
  }

  @Override
  public boolean fire(RecurringFireParams p) {
    return store.locked(
        () -> {
          var recurring = store.tables().recurring;
          RecurringRecord r = recurring.get(p.id());
          if (r == null || !p.expectedNextFireAt().equals(r.nextFireAt())) return false;
          List<InsertOutcome> out =
              store.insertManyLocked(p.jobs(), p.serverId(), false); // throws first
          recurring.put(
              r.id(),
              new RecurringRecord(
                  r.id(),
                  r.specJson(),
                  r.paused(),
                  p.nextFireAt(),
                  p.lastFireAt() != null ? p.lastFireAt() : r.lastFireAt(),
                  out.isEmpty() ? r.lastJobId() : out.getLast().job().id(),
                  r.runs() + p.runs(),
                  r.createdAt(),
                  store.now()));
          return true;
        });
  }
}
