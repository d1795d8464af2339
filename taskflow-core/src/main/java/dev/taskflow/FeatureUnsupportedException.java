package dev.taskflow;

import java.util.Objects;

/**
 * The store does not keep a feature that was asked of it: webhooks, limits, recurring schedules,
 * batches and job dependencies, or event cursors (the optional features of the storage SPI, {@code
 * dev.taskflow.spi.StorageFeature}). Nothing was written. The HTTP API answers 501 with the problem
 * type {@code urn:taskflow:problem:feature-unsupported} and the member {@code feature}.
 *
 * <p>It is a fact about the store, not a passing failure: retrying never helps. Choose a store that
 * keeps the feature (every store TaskFlow ships keeps all of them).
 *
 * {@snippet :
 * try {
 *   taskflow.webhooks().list(null, 100);
 * } catch (FeatureUnsupportedException e) {
 *   // e.feature() is "webhooks"; e.getMessage() "the redis store does not keep webhooks"
 * }
 * }
 */
public class FeatureUnsupportedException extends TaskFlowException {
  private final String feature;
  private final String store;

  /**
   * @param feature the feature's stable name: {@code webhooks}, {@code limits}, {@code recurring},
   *     {@code flows} or {@code cursors}
   * @param description what the store would keep with it, e.g. {@code recurring schedules}
   * @param store the store's name, e.g. {@code redis}
   */
  public FeatureUnsupportedException(String feature, String description, String store) {
    super("the " + store + " store does not keep " + description);
    this.feature = Objects.requireNonNull(feature, "feature");
    this.store = store;
  }

  /** The stable name of the feature the store lacks, e.g. {@code webhooks}. */
  public String feature() {
    return feature;
  }

  /** The name of the store that lacks it, e.g. {@code redis}. */
  public String store() {
    return store;
  }
}
