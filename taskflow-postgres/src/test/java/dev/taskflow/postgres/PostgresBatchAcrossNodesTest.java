package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Dependencies and batches on real PostgreSQL with three servers (three TaskFlow instances in this
 * JVM, each with its own pool) on one schema: every server sweeps, and still each awaiting job is
 * released once and each batch finishes once, with one callback.
 */
class PostgresBatchAcrossNodesTest {
  private static final int NODES = 3;

  @RegisterExtension final PgNodes cluster = new PgNodes("tf_batches");
  private List<TaskFlow> nodes;
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<JsonNode> callbacks = new CopyOnWriteArrayList<>();
  private final Set<String> servers = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start_three_nodes_on_one_schema() {
    nodes = cluster.start(NODES, (name, node) -> configure(node));
  }

  private void configure(TaskFlowBuilder node) {
    node.worker(
            "work",
            JsonNode.class,
            (args, ctx) -> {
              runs.computeIfAbsent(args.path("n").asString(), k -> new AtomicInteger())
                  .incrementAndGet();
              servers.add(ctx.job().history().getLast().server());
              return null;
            })
        .worker(
            "batch.done",
            JsonNode.class,
            (args, ctx) -> {
              callbacks.add(args);
              return null;
            })
        .queue("default", q -> q.concurrency(8))
        .pollInterval(Duration.ofMillis(100));
  }

  private static JobRequest work(String n, EnqueueOptions o) {
    return new JobRequest("work", "{\"n\":\"" + n + "\"}", o);
  }

  @Test
  void a_batch_of_200_on_three_nodes_completes_once_with_one_callback() {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 199; i++) jobs.add(work("m" + i, EnqueueOptions.defaults()));
    // The last member joins the first ten: released once, on whichever node sweeps first.
    List<UUID> firstTen = new ArrayList<>();
    for (int i = 0; i < 10; i++) firstTen.add(Batches.member(i));
    jobs.add(work("join", EnqueueOptions.defaults().dependsOn(firstTen)));

    BatchResult r =
        nodes
            .get(0)
            .batches()
            .enqueue(
                BatchOptions.defaults()
                    .description("200 across three nodes")
                    .callback(JobRequest.of("batch.done", "{}")),
                jobs);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodes.get(1).batches().get(r.batchId()).orElseThrow().isFinished());
    await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.size() >= 1);

    BatchInfo info = nodes.get(2).batches().get(r.batchId()).orElseThrow();
    assertThat(info.state()).isEqualTo("completed");
    assertThat(info.total()).isEqualTo(200);
    assertThat(info.count(JobState.COMPLETED)).isEqualTo(200);
    assertThat(runs).hasSize(200);
    assertThat(runs.values()).allMatch(n -> n.get() == 1);
    assertThat(servers).as("the work spread over the nodes").hasSizeGreaterThan(1);

    // Every node keeps sweeping for a while: still one callback and one batch event.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> callbacks.size() == 1);
    assertThat(callbacks.getFirst().path("batch").path("id").asString())
        .isEqualTo(r.batchId().toString());
    assertThat(callbacks.getFirst().path("batch").path("counts").path("completed").asInt())
        .isEqualTo(200);
    assertThat(nodes.get(0).events(r.callbackJobId(), null, 100))
        .extracting(JobEvent::type)
        .filteredOn(t -> t.startsWith("batch."))
        .containsExactly(JobEvent.BATCH_COMPLETED);
  }

  @Test
  void a_chain_enqueued_on_three_nodes_runs_each_link_after_its_parent() {
    TaskFlow first = nodes.get(0);
    List<UUID> chain = new ArrayList<>();
    chain.add(first.enqueue(work("c0", EnqueueOptions.defaults())).job().id());
    for (int i = 1; i < 20; i++) {
      EnqueueOptions o = EnqueueOptions.defaults().dependsOn(chain.getLast());
      chain.add(nodes.get(i % NODES).enqueue(work("c" + i, o)).job().id());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> first.get(chain.getLast()).orElseThrow().state() == JobState.COMPLETED);
    for (int i = 0; i < 20; i++) assertThat(runs.get("c" + i)).as("c" + i).hasValue(1);
    for (int i = 1; i < 20; i++) {
      var parent = first.get(chain.get(i - 1)).orElseThrow();
      var child = first.get(chain.get(i)).orElseThrow();
      assertThat(child.startedAt()).as("c" + i).isAfterOrEqualTo(parent.finishedAt());
    }
  }
}
