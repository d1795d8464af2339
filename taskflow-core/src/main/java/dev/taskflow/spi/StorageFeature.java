package dev.taskflow.spi;

import dev.taskflow.FeatureUnsupportedException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The optional features of a store, each an interface the store hands out through its accessor on
 * {@link Storage}. Whether a store has a feature is read from that accessor and nowhere else, so
 * {@link #of(Storage)} and the accessors cannot disagree.
 *
 * {@snippet :
 * Set<StorageFeature> features = StorageFeature.of(store); // e.g. [WEBHOOKS, LIMITS, ...]
 * WebhookStore hooks = store.webhooks().orElseThrow(() -> StorageFeature.WEBHOOKS.missingIn(store));
 * }
 */
public enum StorageFeature {
  /** Webhook registrations: {@link Storage#webhooks()}, {@link WebhookStore}. */
  WEBHOOKS("webhooks", "webhooks", Storage::webhooks),
  /** Cluster-wide concurrency and rate limits: {@link Storage#limits()}, {@link LimitStore}. */
  LIMITS("limits", "limits", Storage::limits),
  /** Recurring schedules: {@link Storage#recurring()}, {@link RecurringStore}. */
  RECURRING("recurring", "recurring schedules", Storage::recurring),
  /** Batches and job dependencies: {@link Storage#flows()}, {@link FlowStore}. */
  FLOWS("flows", "batches and job dependencies", Storage::flows),
  /** Durable cursors over the event log: {@link Storage#cursors()}, {@link CursorStore}. */
  CURSORS("cursors", "event cursors", Storage::cursors);

  private final String wireName;
  private final String description;
  private final Function<Storage, Optional<?>> accessor;

  StorageFeature(String wireName, String description, Function<Storage, Optional<?>> accessor) {
    this.wireName = wireName;
    this.description = description;
    this.accessor = accessor;
  }

  /**
   * A stable lower-case name, as in {@link FeatureUnsupportedException#feature()} and the HTTP
   * API's problems.
   */
  public String wireName() {
    return wireName;
  }

  /** What the store keeps with this feature, for messages: "the X store does not keep ...". */
  public String description() {
    return description;
  }

  /** Whether {@code store} hands this feature out. */
  public boolean isIn(Storage store) {
    return accessor.apply(store).isPresent();
  }

  /** The exception for a call that needs this feature on {@code store}, which lacks it. */
  public FeatureUnsupportedException missingIn(Storage store) {
    return new FeatureUnsupportedException(wireName, description, store.capabilities().name());
  }

  /** The features {@code store} hands out, read from its accessors. */
  public static Set<StorageFeature> of(Storage store) {
    EnumSet<StorageFeature> out = EnumSet.noneOf(StorageFeature.class);
    for (StorageFeature f : values()) if (f.isIn(store)) out.add(f);
    return Collections.unmodifiableSet(out);
  }
}
