package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.FlowLimit;
import dev.taskflow.JobRequest;
import dev.taskflow.QueueFullException;
import dev.taskflow.QueueInfo;
import dev.taskflow.TaskFlow;
import dev.taskflow.fixtures.PgSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Per-key and per-owner concurrency limits and queue depth bounds on real PostgreSQL, with three
 * servers (three TaskFlow instances in this JVM, each with its own connection pool) on one schema.
 * Running counts are sampled by the handlers ({@link InFlight}) and in the database ({@link
 * RunningSampler}). Global limits, type limits and rates: {@link PostgresLimitsAcrossNodesTest}.
 */
class PostgresJobControlsAcrossNodesTest {
  private static final String QUEUE = "controlled";
  private static final String BOUNDED = "bounded"; // served by no node: its jobs stay waiting
  private static final int NODES = 3;
  private static final int SLOTS_PER_NODE = 6;
  private static final Duration WORK = Duration.ofMillis(20);

  @RegisterExtension final PgNodes cluster = new PgNodes("tf_controls");
  private final PgSchema pg = cluster.schema();
  private final InFlight inFlight = new InFlight();
  private List<TaskFlow> nodes;

  private void startNodes(List<FlowLimit> limits) {
    nodes =
        cluster.start(
            NODES,
            (name, node) -> {
              node.worker(
                      "work",
                      JsonNode.class,
                      (args, ctx) -> {
                        inFlight.run(ctx.job(), WORK);
                        return null;
                      })
                  .queue(QUEUE, q -> q.concurrency(SLOTS_PER_NODE))
                  .pollInterval(Duration.ofMillis(50));
              limits.forEach(node::limit);
            });
  }

  private static JobRequest work(EnqueueOptions options) {
    return new JobRequest("work", "{}", options.queue(QUEUE));
  }

  @Test
  void a_key_limit_of_one_is_a_mutex_per_key_across_three_nodes() throws Exception {
    startNodes(
        List.of(
            FlowLimit.builder("one-per-account")
                .queue(QUEUE)
                .scope(FlowLimit.Scope.KEY)
                .maxRunning(1)
                .build()));
    RunningSampler sampler = new RunningSampler(pg.name(), "concurrency_key");
    List<String> keys = List.of("account-1", "account-2", "account-3");

    for (int n = 0; n < NODES; n++) { // every node enqueues jobs of every key, and free ones
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        for (String key : keys) batch.add(work(EnqueueOptions.defaults().concurrencyKey(key)));
        batch.add(work(EnqueueOptions.defaults()));
        batch.add(work(EnqueueOptions.defaults()));
      }
      nodes.get(n).enqueueAll(batch);
    }
    cluster.awaitCompleted(NODES * 5 * (keys.size() + 2), Duration.ofSeconds(30));
    Map<String, Integer> sampled = sampler.stopAndGet();

    System.out.printf(
        "key mutex over %d nodes x %d slots: in flight per key %s, keyed %d, all %d;"
            + " processing rows per key %s%n",
        NODES,
        SLOTS_PER_NODE,
        keys.stream().map(k -> inFlight.max("key=" + k)).toList(),
        inFlight.max(InFlight.KEYED),
        inFlight.max(InFlight.ALL),
        sampled);
    for (String key : keys) {
      assertThat(inFlight.max("key=" + key)).as("jobs of %s in flight at once", key).isEqualTo(1);
      assertThat(sampled.get(key)).as("processing rows of %s at once", key).isEqualTo(1);
    }
    assertThat(inFlight.max(InFlight.KEYED)).as("jobs of different keys at once").isGreaterThan(1);
    assertThat(inFlight.max(InFlight.ALL)).as("all jobs at once").isGreaterThan(keys.size());
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE attempt <> 1")).isZero();
  }

  @Test
  void an_owner_limit_of_two_running_is_never_exceeded_across_three_nodes() throws Exception {
    int max = 2;
    startNodes(
        List.of(
            FlowLimit.builder("two-per-owner")
                .queue(QUEUE)
                .scope(FlowLimit.Scope.OWNER)
                .maxRunning(max)
                .build()));
    RunningSampler sampler = new RunningSampler(pg.name(), "owner");
    List<String> owners = List.of("alice", "bob", "carol");

    for (int n = 0; n < NODES; n++) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        for (String owner : owners) batch.add(work(EnqueueOptions.defaults().owner(owner)));
      }
      nodes.get(n).enqueueAll(batch);
    }
    cluster.awaitCompleted(NODES * 12 * owners.size(), Duration.ofSeconds(30));
    Map<String, Integer> sampled = sampler.stopAndGet();

    System.out.printf(
        "owner limit %d over %d nodes x %d slots: in flight per owner %s, all %d;"
            + " processing rows per owner %s%n",
        max,
        NODES,
        SLOTS_PER_NODE,
        owners.stream().map(o -> inFlight.max("owner=" + o)).toList(),
        inFlight.max(InFlight.ALL),
        sampled);
    for (String owner : owners) {
      assertThat(inFlight.max("owner=" + owner))
          .as("jobs of %s in flight at once", owner)
          .isEqualTo(max);
      assertThat(sampled.get(owner))
          .as("processing rows of %s at once", owner)
          .isLessThanOrEqualTo(max);
    }
    assertThat(inFlight.max(InFlight.ALL)).as("all jobs at once").isGreaterThan(max);
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE attempt <> 1")).isZero();
  }

  /** Outcome counts of racing enqueue calls: accepted, refused as full, anything else thrown. */
  private record Race(int accepted, int full, List<Throwable> other) {
    /** Prints the outcome and asserts it: nothing failed but for a full queue, and the counts. */
    void assertCounts(String race, int expectedAccepted, int expectedFull) {
      System.out.printf("%s from %d nodes: %d accepted, %d full%n", race, NODES, accepted, full);
      assertThat(other).as("other failures").isEmpty();
      assertThat(accepted).as("accepted").isEqualTo(expectedAccepted);
      assertThat(full).as("refused as full").isEqualTo(expectedFull);
    }
  }

  /**
   * Runs {@code calls} enqueue calls per node at once, from 4 threads per node; {@code call} gets
   * the node and a call number unique across the race.
   */
  private Race race(int callsPerNode, EnqueueCall call) throws Exception {
    int threadsPerNode = 4;
    ExecutorService pool = Executors.newFixedThreadPool(NODES * threadsPerNode);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> calls = new ArrayList<>();
      for (int n = 0; n < NODES; n++) {
        TaskFlow node = nodes.get(n);
        for (int t = 0; t < threadsPerNode; t++) {
          int first = (n * threadsPerNode + t) * (callsPerNode / threadsPerNode);
          for (int k = 0; k < callsPerNode / threadsPerNode; k++) {
            int callNo = first + k;
            Callable<Boolean> c =
                () -> {
                  go.await();
                  try {
                    call.enqueue(node, callNo);
                    return true;
                  } catch (QueueFullException e) {
                    return false;
                  }
                };
            calls.add(pool.submit(c));
          }
        }
      }
      go.countDown();
      int accepted = 0;
      int full = 0;
      List<Throwable> other = new ArrayList<>();
      for (Future<Boolean> f : calls) {
        try {
          if (f.get(30, TimeUnit.SECONDS)) accepted++;
          else full++;
        } catch (ExecutionException e) {
          other.add(e.getCause());
        }
      }
      return new Race(accepted, full, other);
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface EnqueueCall {
    void enqueue(TaskFlow node, int callNo);
  }

  private long waitingIn(String queue) {
    QueueInfo q =
        nodes.getFirst().queues().list().stream()
            .filter(i -> i.name().equals(queue))
            .findFirst()
            .orElseThrow();
    return q.counts().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void a_queue_max_depth_is_exact_under_concurrent_enqueues_from_three_nodes() throws Exception {
    startNodes(List.of());
    nodes.getFirst().queues().setMaxDepth(BOUNDED, 50);
    EnqueueOptions bounded = EnqueueOptions.defaults().queue(BOUNDED);

    Race singles =
        race(
            100,
            (node, no) -> node.enqueue(new JobRequest("work", "{\"call\":" + no + "}", bounded)));

    singles.assertCounts("max depth 50, 300 racing single enqueues", 50, 250);
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE queue = ?", BOUNDED))
        .isEqualTo(50);
    assertThat(
            pg.queryLong(
                "SELECT count(*) FROM taskflow_events WHERE queue = ? AND type = 'job.enqueued'",
                BOUNDED))
        .as("events of the queue: one job.enqueued per accepted job")
        .isEqualTo(50);
    assertThat(waitingIn(BOUNDED)).as("the queue's counters").isEqualTo(50);

    // batches are all or nothing: 50 more places, batches of 5, exactly 10 batches get in
    nodes.get(1).queues().setMaxDepth(BOUNDED, 100);
    Race batches =
        race(
            20,
            (node, no) -> {
              List<JobRequest> batch = new ArrayList<>();
              for (int i = 0; i < 5; i++) {
                batch.add(new JobRequest("work", "{\"batch\":" + no + "}", bounded));
              }
              node.enqueueAll(batch);
            });

    batches.assertCounts("max depth 100, 60 racing batches of 5", 10, 50);
    Map<String, Long> rowsPerBatch = new HashMap<>();
    try (Connection c = pg.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT args->>'batch', count(*) FROM taskflow_jobs WHERE args->>'batch' IS NOT NULL"
                    + " GROUP BY 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) rowsPerBatch.put(rs.getString(1), rs.getLong(2));
    }
    assertThat(rowsPerBatch).as("accepted batches").hasSize(10);
    assertThat(rowsPerBatch.values()).as("rows per accepted batch").containsOnly(5L);
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE queue = ?", BOUNDED))
        .isEqualTo(100);
    assertThat(waitingIn(BOUNDED)).isEqualTo(100);
  }
}
