package dev.taskflow.cluster;

import dev.taskflow.fixtures.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A cluster test: a fresh {@link Cluster} for each test, on the store {@link TestStores} picks or,
 * for a test that needs it, on PostgreSQL; closed after the test with every node it started.
 */
abstract class ClusterTestBase {
  private final boolean postgresOnly;

  /** The test's nodes, store and client. */
  Cluster cluster;

  /**
   * @param postgresOnly whether the test needs PostgreSQL whatever the build's store is
   */
  ClusterTestBase(boolean postgresOnly) {
    this.postgresOnly = postgresOnly;
  }

  @BeforeEach
  final void startCluster(TestInfo info) {
    cluster = postgresOnly ? TestStores.postgresCluster(info) : TestStores.cluster(info);
  }

  @AfterEach
  final void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @AfterAll
  static void killLeftovers() {
    ChildJvm.killAll();
  }

  /** The PostgreSQL store of a test that needs PostgreSQL. */
  PgClusterStore postgres() {
    return (PgClusterStore) cluster.store();
  }
}
