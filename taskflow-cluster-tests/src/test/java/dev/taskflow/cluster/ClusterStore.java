package dev.taskflow.cluster;

import dev.taskflow.spi.Storage;

/**
 * The store that the nodes of one test share: how the CLI names it ({@code --store}) and how the
 * test opens its own connection to the same data, to enqueue and to audit.
 */
interface ClusterStore extends AutoCloseable {

  /** The store's kind, for reports: postgres, sqlite. */
  String name();

  /** The {@code --store} value of the {@code taskflow} CLI. */
  String cliStore();

  /** A new, not yet opened store on the same data. */
  Storage newStorage();

  /** Removes the test's data (schema, file). */
  @Override
  void close();
}
