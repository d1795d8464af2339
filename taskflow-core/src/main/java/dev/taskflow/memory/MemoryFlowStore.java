package dev.taskflow.memory;

import dev.taskflow.StorageException;
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
 * Dependencies and batches of an {@link InMemoryStorage}: the sweeps and batch rows of its {@link
 * MemoryDeps}, under its lock. (Inserts with {@code dependsOn} and retention consult the same
 * {@link MemoryDeps} from the store.)
 */
final class MemoryFlowStore implements FlowStore {
  private final InMemoryStorage store;

  MemoryFlowStore(InMemoryStorage store) {
    this.store = store;
  }

  @Override
  public int jobResolveAwaiting(AwaitingResolveParams p) {
    return store.locked(
        () ->
            store
                .deps()
                .sweep(store.tables(), store.depsHost(), store.now(), p.serverId(), p.limit()));
  }

  @Override
  public List<UUID> jobDependents(UUID parentId, int limit) {
    return store.locked(() -> store.deps().dependents(parentId, limit));
  }

  @Override
  public List<InsertOutcome> batchInsert(BatchInsertParams p) {
    return store.locked(
        () -> {
          MemoryDeps deps = store.deps();
          if (deps.hasBatch(p.batchId())) {
            throw new StorageException("batch " + p.batchId() + " already exists");
          }
          List<InsertOutcome> out =
              store.insertManyLocked(p.members(), p.serverId(), true); // throws first
          deps.batchInserted(p.batchId(), p.specJson(), out, store.now());
          return out;
        });
  }

  @Override
  public Optional<BatchRecord> batchGet(UUID batchId) {
    return store.locked(() -> Optional.ofNullable(store.deps().batchGet(store.tables(), batchId)));
  }

  @Override
  public int batchResolveFinished(BatchResolveParams p) {
    return store.locked(
        () ->
            store
                .deps()
                .batchSweep(
                    store.tables(), store.depsHost(), store.now(), p.serverId(), p.limit()));
  }
}
