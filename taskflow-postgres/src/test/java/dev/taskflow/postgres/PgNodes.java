package dev.taskflow.postgres;

import static org.awaitility.Awaitility.await;

import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.fixtures.PgSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Servers of one cluster without the processes: TaskFlow instances in this JVM, each with its own
 * connection pool, on one fresh schema. They stop after each test (with a 200 ms grace), then the
 * schema is dropped.
 *
 * <pre>{@code
 * @RegisterExtension final PgNodes cluster = new PgNodes("tf_limits");
 * List<TaskFlow> nodes = cluster.start(3, (name, b) -> b.worker(...).queue(...));
 * }</pre>
 */
final class PgNodes implements BeforeEachCallback, AfterEachCallback {
  private static final Duration GRACE = Duration.ofMillis(200);

  private final PgSchema schema;
  private final List<TaskFlow> nodes = new ArrayList<>();

  /**
   * @param prefix the start of the schema's name
   */
  PgNodes(String prefix) {
    this.schema = new PgSchema(prefix);
  }

  /** The nodes' schema. */
  PgSchema schema() {
    return schema;
  }

  /**
   * Builds and starts {@code count} nodes named {@code node-0}, {@code node-1}, ...; {@code node}
   * adds each one's workers, queues, limits and poll interval to its builder.
   */
  List<TaskFlow> start(int count, BiConsumer<String, TaskFlowBuilder> node) {
    List<TaskFlow> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "node-" + i;
      TaskFlowBuilder b =
          TaskFlow.builder()
              .storage(PostgresStorage.builder(schema.url()).poolSize(4).build())
              .serverId(name)
              .shutdownGrace(GRACE);
      node.accept(name, b);
      started.add(b.build());
    }
    nodes.addAll(started);
    started.forEach(TaskFlow::start);
    return started;
  }

  /** Waits until at least {@code n} jobs of the schema are completed, counted in the database. */
  void awaitCompleted(long n, Duration atMost) {
    await("%d jobs completed".formatted(n))
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> schema.queryLong("SELECT count(*) FROM taskflow_jobs WHERE state = 'completed'"),
            completed -> completed >= n);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    schema.create();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      nodes.forEach(tf -> tf.stop(GRACE));
      nodes.clear();
    } finally {
      schema.close();
    }
  }
}
