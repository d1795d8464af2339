package dev.taskflow.memory;

import dev.taskflow.spi.ForwardingStorage;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageCapabilities;

/**
 * A store that keeps only the required core of the storage SPI: it delegates the core to another
 * store and hands out none of the optional features (webhooks, limits, recurring schedules, batches
 * and dependencies, cursors), as a new store may not. For testing what an application, an extension
 * or the HTTP API does on such a store. Its name in messages is {@value #NAME}.
 *
 * {@snippet :
 * TaskFlow taskflow = TaskFlow.builder()
 *     .storage(new CoreOnlyStorage(new InMemoryStorage()))
 *     .build();
 * taskflow.webhooks().supported(); // false; taskflow.webhooks().list(null, 10) throws
 * }
 */
public final class CoreOnlyStorage extends ForwardingStorage {
  /** The store name, as in "the core-only store does not keep webhooks". */
  public static final String NAME = "core-only";

  /** A store on {@code core}, which it opens and closes with itself. */
  public CoreOnlyStorage(Storage core) {
    super(core);
  }

  @Override
  public StorageCapabilities capabilities() {
    StorageCapabilities c = delegate.capabilities();
    return new StorageCapabilities(NAME, c.distributed(), c.wakeups());
  }

  @Override
  public String toString() {
    return "CoreOnlyStorage[" + delegate + "]";
  }
}
