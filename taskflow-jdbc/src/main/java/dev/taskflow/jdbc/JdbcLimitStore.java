package dev.taskflow.jdbc;

import dev.taskflow.FlowLimit;
import dev.taskflow.LimitUsage;
import dev.taskflow.spi.LimitStore;
import java.util.List;
import java.util.Optional;

/**
 * The limits of a {@link JdbcStorage}: {@link LimitRows} in its transactions. Every change drops
 * the limits its claims cache ({@link LimitedClaim}), so this server applies it at once.
 */
final class JdbcLimitStore implements LimitStore {
  private final JdbcStorage store;
  private final LimitedClaim limited;

  JdbcLimitStore(JdbcStorage store, LimitedClaim limited) {
    this.store = store;
    this.limited = limited;
  }

  @Override
  public void save(FlowLimit l) {
    store.write(
        () -> "limitSave of limit '" + l.name() + "'",
        c -> {
          LimitRows.save(c, store.dialect(), l, store.transactionNow(c));
          return null;
        });
    limited.invalidate();
  }

  @Override
  public Optional<FlowLimit> get(String name) {
    return store.read(() -> "limitGet of limit '" + name + "'", c -> LimitRows.get(c, name));
  }

  @Override
  public List<FlowLimit> list() {
    return store.read(() -> "limitList", LimitRows::list);
  }

  @Override
  public boolean delete(String name) {
    boolean deleted =
        store.write(
            () -> "limitDelete of limit '" + name + "'",
            c -> LimitRows.delete(c, store.dialect(), name));
    limited.invalidate();
    return deleted;
  }

  @Override
  public Optional<LimitUsage> usage(String name) {
    return store.read(
        () -> "limitUsage of limit '" + name + "'",
        c -> LimitRows.usage(c, name, store.transactionNow(c)));
  }
}
