package dev.taskflow.spi;

/**
 * What a store can do, so the engine can choose strategies. Which optional features it keeps is not
 * here: {@link StorageFeature#of(Storage)} reads that from the store's feature accessors.
 *
 * @param name a short name for logs, e.g. {@code sqlite}
 * @param distributed whether several processes may share it
 * @param wakeups whether it can wake remote fetchers (LISTEN/NOTIFY, pub/sub)
 */
public record StorageCapabilities(String name, boolean distributed, boolean wakeups) {}
