package dev.taskflow.tck;

import dev.taskflow.memory.CoreOnlyStorage;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import java.time.Clock;

/**
 * The storage contract on a store that keeps only the core: every core contract passes, and every
 * feature suite is reported skipped.
 */
class CoreOnlyStorageTckTest extends StorageTck {
  @Override
  protected Storage createStorage(Clock clock) {
    return new CoreOnlyStorage(new InMemoryStorage(clock));
  }
}
