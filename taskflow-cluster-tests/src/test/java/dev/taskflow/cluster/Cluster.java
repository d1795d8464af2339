package dev.taskflow.cluster;

import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueResult;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.spi.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The nodes of one test on one shared store, and the test's own client on that store: a {@link
 * TaskFlow} that is never started, so it only enqueues and reads.
 */
final class Cluster implements AutoCloseable {
  /** The demo type the drains run: it returns its (empty) args, so it is as cheap as a job gets. */
  static final String NOOP = "demo.echo";

  static final String SLEEP = "demo.sleep";

  private final ClusterStore store;
  private final Path dir;
  private final Storage storage;
  private final TaskFlow client;
  private final List<Node> nodes = new ArrayList<>();

  Cluster(ClusterStore store, Path dir) {
    this.store = store;
    this.dir = dir;
    this.storage = store.newStorage();
    this.client = TaskFlow.builder().storage(storage).acceptTypes(NOOP, SLEEP).build();
  }

  /** The test's client: enqueue and read, never runs jobs. */
  TaskFlow client() {
    return client;
  }

  ClusterStore store() {
    return store;
  }

  /** The report line of a test on this cluster, starting with the store's kind. */
  ClusterReport report(String test) {
    return new ClusterReport(test).put("store", store.name());
  }

  /** The client's store, for audits and samples. */
  Storage storage() {
    return storage;
  }

  /**
   * Starts a worker node ({@code taskflow worker}: the engine without HTTP) that runs the demo
   * types on {@code concurrency} slots of the default queue with the given lease, and waits until
   * its engine runs.
   */
  Node startWorker(String name, Duration lease, int concurrency) {
    return startWorker(name, lease, concurrency, List.of());
  }

  /** {@link #startWorker(String, Duration, int)} with more CLI options (e.g. --leader-ttl). */
  Node startWorker(String name, Duration lease, int concurrency, List<String> moreArgs) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "worker",
            "--demo",
            "--store",
            store.cliStore(),
            "--lease",
            lease.toString(),
            "--queue",
            "default=" + concurrency));
    args.addAll(moreArgs);
    Node node = Node.start(name, dir, args);
    nodes.add(node);
    return node;
  }

  /** Starts the workers and waits until every one has started. */
  List<Node> startWorkers(int count, Duration lease, int concurrency) {
    List<Node> started = new ArrayList<>();
    for (int i = 1; i <= count; i++) started.add(startWorker("worker-" + i, lease, concurrency));
    started.forEach(Node::awaitStarted);
    return started;
  }

  /** Enqueues {@code n} no-op jobs in batches; returns the acknowledged ids. */
  List<UUID> enqueueNoops(int n) {
    List<UUID> ids = new ArrayList<>(n);
    for (int from = 0; from < n; from += 1000) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 1000); i++) batch.add(JobRequest.of(NOOP, "{}"));
      for (EnqueueResult r : client.enqueueAll(batch)) ids.add(r.job().id());
    }
    return ids;
  }

  /** Completed jobs, from the store's counters. */
  long completedCount() {
    return client.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L);
  }

  /** Waits until at least {@code n} jobs are completed. */
  void awaitCompleted(long n, Duration atMost) {
    await("" + n + " jobs completed")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(this::completedCount, c -> c >= n);
  }

  /** The last lines of every node's log, for failure messages. */
  String nodeLogs() {
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes) sb.append(n.logTail(15)).append('\n');
    return sb.toString();
  }

  /** Kills every node, closes the client, then removes the test's data. */
  @Override
  public void close() {
    try {
      nodes.forEach(Node::close);
      client.stop(Duration.ZERO);
    } finally {
      store.close();
    }
  }
}
