package dev.taskflow.jdbc;

import dev.taskflow.spi.CursorAdvanceParams;
import dev.taskflow.spi.CursorStore;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/** The event cursors of a {@link JdbcStorage}: {@link CursorRows} in its transactions. */
final class JdbcCursorStore implements CursorStore {
  private final JdbcStorage store;

  JdbcCursorStore(JdbcStorage store) {
    this.store = store;
  }

  @Override
  public long get(String name) {
    Objects.requireNonNull(name, "name");
    OptionalLong at = store.read(() -> "cursorGet of '" + name + "'", c -> CursorRows.get(c, name));
    if (at.isPresent()) return at.getAsLong();
    return store.write(
        () -> "cursorGet (create) of '" + name + "'",
        c -> CursorRows.create(c, name, store.transactionNow(c)));
  }

  @Override
  public boolean advance(CursorAdvanceParams p) {
    return store.write(
        () ->
            "cursorAdvance of '"
                + p.name()
                + "' from "
                + p.expectedPosition()
                + " to "
                + p.newPosition()
                + " with "
                + p.jobs().size()
                + " job(s)",
        c -> {
          Instant now = store.transactionNow(c);
          if (!CursorRows.compareAndSet(c, p.name(), p.expectedPosition(), p.newPosition(), now)) {
            return false;
          }
          // Same transaction: a failed insert rolls the cursor back too.
          if (!p.jobs().isEmpty()) store.insertUnbounded(c, p.jobs(), p.serverId(), now);
          return true;
        });
  }
}
