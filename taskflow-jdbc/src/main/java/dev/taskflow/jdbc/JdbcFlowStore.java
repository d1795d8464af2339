package dev.taskflow.jdbc;

import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.BatchInsertParams;
import dev.taskflow.spi.BatchRecord;
import dev.taskflow.spi.BatchResolveParams;
import dev.taskflow.spi.FlowStore;
import dev.taskflow.spi.InsertOutcome;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Dependencies and batches of a {@link JdbcStorage}: the sweeps of {@link DependencyRows} and the
 * rows of {@link BatchRows}, in its transactions. (Inserts with {@code dependsOn} go through the
 * store's {@link JobInserter}, which links parents and children.)
 */
final class JdbcFlowStore implements FlowStore {
  private final JdbcStorage store;
  private final DependencyRows deps;
  private final BatchRows batches;

  JdbcFlowStore(JdbcStorage store, SqlDialect dialect) {
    this.store = store;
    this.deps = new DependencyRows(dialect);
    this.batches = new BatchRows(dialect);
  }

  @Override
  public int jobResolveAwaiting(AwaitingResolveParams p) {
    if (p.limit() <= 0) return 0;
    return store.write(
        () -> "jobResolveAwaiting by server " + p.serverId(),
        c -> deps.sweep(c, p.limit(), p.serverId(), store.transactionNow(c)));
  }

  @Override
  public List<UUID> jobDependents(UUID parentId, int limit) {
    if (limit <= 0) return List.of();
    return store.read(
        () -> "jobDependents of job " + parentId,
        c -> DependencyRows.dependents(c, parentId, limit));
  }

  @Override
  public List<InsertOutcome> batchInsert(BatchInsertParams p) {
    return store.write(
        () -> "batchInsert of batch " + p.batchId() + " with " + p.jobs().size() + " job(s)",
        c -> {
          List<InsertOutcome> out = store.insertBounded(c, p.members(), p.serverId());
          int total = (int) out.stream().filter(o -> !o.duplicate()).count();
          batches.insert(c, p.batchId(), p.specJson(), total, store.transactionNow(c));
          return out;
        });
  }

  @Override
  public Optional<BatchRecord> batchGet(UUID batchId) {
    return store.read(() -> "batchGet of batch " + batchId, c -> batches.get(c, batchId));
  }

  @Override
  public int batchResolveFinished(BatchResolveParams p) {
    if (p.limit() <= 0) return 0;
    return store.write(
        () -> "batchResolveFinished by server " + p.serverId(),
        c ->
            batches.sweep(
                c,
                p.limit(),
                p.serverId(),
                store.transactionNow(c),
                // Unbounded, as recurring fires: a full callback queue must not roll back the
                // sweep (and stall every batch behind it), and a queue row lock taken here, after
                // the event-log lock, would reverse a plain enqueue's lock order.
                (tx, jobs, server) ->
                    store.insertUnbounded(tx, jobs, server, store.transactionNow(tx))));
  }
}
