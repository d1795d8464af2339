package dev.taskflow.jdbc;

import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.RecurringDueParams;
import dev.taskflow.spi.RecurringFireParams;
import dev.taskflow.spi.RecurringListParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringSaveParams;
import dev.taskflow.spi.RecurringStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The recurring schedules of a {@link JdbcStorage}: {@link RecurringRows} in its transactions. */
final class JdbcRecurringStore implements RecurringStore {
  private final JdbcStorage store;
  private final RecurringRows rows;

  JdbcRecurringStore(JdbcStorage store, SqlDialect dialect) {
    this.store = store;
    this.rows = new RecurringRows(dialect);
  }

  @Override
  public boolean save(RecurringSaveParams p) {
    return store.write(
        () -> "recurringSave of schedule '" + p.id() + "'",
        c -> rows.save(c, p, store.transactionNow(c)));
  }

  @Override
  public Optional<RecurringRecord> get(String id) {
    return store.read(() -> "recurringGet of schedule '" + id + "'", c -> rows.get(c, id));
  }

  @Override
  public List<RecurringRecord> list(RecurringListParams p) {
    return store.read(() -> "recurringList after " + p.afterId(), c -> rows.list(c, p));
  }

  @Override
  public boolean delete(String id) {
    return store.write(() -> "recurringDelete of schedule '" + id + "'", c -> rows.delete(c, id));
  }

  @Override
  public List<RecurringRecord> due(RecurringDueParams p) {
    return store.read(
        () -> "recurringDue",
        c -> rows.due(c, store.transactionNow(c).plus(p.within()), p.limit()));
  }

  @Override
  public boolean fire(RecurringFireParams p) {
    return store.write(
        () ->
            "recurringFire of schedule '"
                + p.id()
                + "' at "
                + p.expectedNextFireAt()
                + " with "
                + p.jobs().size()
                + " job(s)",
        c -> {
          Instant now = store.transactionNow(c);
          if (!rows.advance(c, p, now)) return false;
          // Same transaction: a failed insert rolls the move of next_fire_at back too.
          if (p.jobs().isEmpty()) return true;
          List<InsertOutcome> out = store.insertUnbounded(c, p.jobs(), p.serverId(), now);
          rows.setLastJob(c, p.id(), out.getLast().job().id());
          return true;
        });
  }
}
