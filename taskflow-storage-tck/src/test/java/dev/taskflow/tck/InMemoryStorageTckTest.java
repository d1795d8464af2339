package dev.taskflow.tck;

import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import java.time.Clock;

/** The storage contract on the in-memory store. */
class InMemoryStorageTckTest extends StorageTck {
  @Override
  protected Storage createStorage(Clock clock) {
    return new InMemoryStorage(clock);
  }
}
