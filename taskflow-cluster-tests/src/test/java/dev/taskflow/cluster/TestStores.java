package dev.taskflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.TestInfo;

/**
 * The store the cluster tests run on: PostgreSQL by default; {@code
 * -Dtaskflow.cluster.store=sqlite} runs the store-neutral tests on one SQLite file instead.
 */
final class TestStores {
  private TestStores() {}

  static boolean sqlite() {
    return "sqlite".equals(System.getProperty("taskflow.cluster.store"));
  }

  /** A cluster for the calling test, with its nodes' logs under {@code target/cluster/}. */
  static Cluster cluster(TestInfo info) {
    Path dir = workDir(info);
    ClusterStore store = sqlite() ? new SqliteClusterStore(dir.resolve("jobs.db")) : postgres();
    return new Cluster(store, dir);
  }

  static PgClusterStore postgres() {
    return new PgClusterStore("cluster");
  }

  /** A cluster on PostgreSQL whatever {@code taskflow.cluster.store} says: the test needs it. */
  static Cluster postgresCluster(TestInfo info) {
    return new Cluster(postgres(), workDir(info));
  }

  /** A fresh directory named after the test class and method. */
  static Path workDir(TestInfo info) {
    Path root = Path.of(System.getProperty("taskflow.cluster.workDir", "target/cluster"));
    String name =
        info.getTestClass().map(Class::getSimpleName).orElse("test")
            + "/"
            + info.getTestMethod().map(m -> m.getName()).orElse("run")
            + "-"
            + System.currentTimeMillis();
    try {
      return Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory " + root.resolve(name), e);
    }
  }
}
