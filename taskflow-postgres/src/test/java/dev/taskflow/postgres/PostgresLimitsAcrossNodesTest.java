package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobRequest;
import dev.taskflow.TaskFlow;
import dev.taskflow.Worker;
import dev.taskflow.fixtures.PgSchema;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The cluster-wide promises of limits on real PostgreSQL, with three servers (three TaskFlow
 * instances in this JVM, each with its own connection pool) on one schema. Running counts are
 * sampled two ways: by the handlers ({@link InFlight}) and by a thread that counts processing rows
 * in the database ({@link RunningSampler}); rates are checked on the start times the store wrote.
 * Per-key and per-owner concurrency and queue depth bounds: {@link
 * PostgresJobControlsAcrossNodesTest}.
 */
class PostgresLimitsAcrossNodesTest {
  private static final String QUEUE = "limited";
  private static final int NODES = 3;
  private static final String OTHER_QUEUE = "other";
  private static final int SLOTS_PER_NODE = 8;

  @RegisterExtension final PgNodes cluster = new PgNodes("tf_limits");
  private final PgSchema pg = cluster.schema();
  private List<TaskFlow> nodes;
  private final InFlight inFlight = new InFlight();
  private final Map<UUID, String> ranOn = new ConcurrentHashMap<>();
  private volatile long jobMillis = 5;
  private int slotsPerNode = SLOTS_PER_NODE;

  /**
   * Starts the nodes, each running {@code work} and {@code work.capped} (the same handler) on
   * {@link #QUEUE} and {@link #OTHER_QUEUE}, with {@link #slotsPerNode} slots each.
   */
  private void startNodes(FlowLimit limit) {
    nodes =
        cluster.start(
            NODES,
            (name, node) -> {
              Worker<JsonNode> work =
                  (args, ctx) -> {
                    ranOn.put(ctx.jobId(), name);
                    inFlight.run(ctx.job(), Duration.ofMillis(jobMillis));
                    return null;
                  };
              node.worker("work", JsonNode.class, work)
                  .worker("work.capped", JsonNode.class, work)
                  .queue(QUEUE, q -> q.concurrency(slotsPerNode))
                  .queue(OTHER_QUEUE, q -> q.concurrency(slotsPerNode))
                  .limit(limit)
                  .pollInterval(Duration.ofMillis(50));
            });
  }

  private List<UUID> enqueue(int n, String owner) {
    return enqueue(nodes.getFirst(), n, "work", QUEUE, owner);
  }

  /** Enqueues {@code n} jobs in one batch through the given node. */
  private static List<UUID> enqueue(TaskFlow via, int n, String type, String queue, String owner) {
    List<JobRequest> batch = new ArrayList<>();
    EnqueueOptions o = EnqueueOptions.defaults().queue(queue);
    if (owner != null) o = o.owner(owner);
    for (int i = 0; i < n; i++) batch.add(new JobRequest(type, "{}", o));
    List<UUID> ids = new ArrayList<>();
    via.enqueueAll(batch).forEach(r -> ids.add(r.job().id()));
    return ids;
  }

  @Test
  void a_global_limit_of_n_is_never_exceeded_by_three_nodes_with_many_slots() throws Exception {
    int n = 4;
    startNodes(FlowLimit.builder("four").queue(QUEUE).maxRunning(n).build());
    RunningSampler sampler = new RunningSampler(pg.name(), "queue");

    enqueue(300, null);
    cluster.awaitCompleted(300, Duration.ofSeconds(18));
    int maxSampled = sampler.stopAndGet().getOrDefault(QUEUE, 0);

    System.out.printf(
        "global limit %d, %d nodes x %d slots: max in flight %d, max processing rows %d%n",
        n, NODES, SLOTS_PER_NODE, inFlight.max(InFlight.ALL), maxSampled);
    assertThat(inFlight.max(InFlight.ALL)).as("jobs in flight at once").isLessThanOrEqualTo(n);
    assertThat(maxSampled).as("processing rows at once").isLessThanOrEqualTo(n);
    assertThat(inFlight.max(InFlight.ALL)).as("the limit is used, not just respected").isEqualTo(n);
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE attempt <> 1")).isZero();
  }

  @Test
  void a_rate_limit_holds_across_three_nodes_in_every_window_of_its_period() throws Exception {
    int rate = 10;
    Duration period = Duration.ofSeconds(1);
    startNodes(FlowLimit.builder("ten-a-second").queue(QUEUE).rate(rate, period).build());
    jobMillis = 1;

    enqueue(35, null);
    cluster.awaitCompleted(35, Duration.ofSeconds(15));

    List<Long> starts = pg.queryLongs("SELECT started_at FROM taskflow_jobs ORDER BY started_at");
    int worst = mostStartsInAnyWindow(starts, period);
    long spanMillis = starts.getLast() - starts.getFirst();
    System.out.printf(
        "rate %d per %s over %d nodes: most starts in any window %d, 35 starts over %d ms%n",
        rate, period, NODES, worst, spanMillis);
    assertThat(worst).as("starts in any window of one period").isLessThanOrEqualTo(rate);
    assertThat(spanMillis)
        .as("35 starts at 10/s need more than 3 periods")
        .isGreaterThanOrEqualTo(3000);
  }

  @Test
  void a_late_owner_starts_within_one_slot_time_behind_another_owners_backlog() throws Exception {
    jobMillis = 20;
    startNodes(
        FlowLimit.builder("fair")
            .queue(QUEUE)
            .scope(FlowLimit.Scope.OWNER)
            .maxRunning(1000)
            .build());
    int slots = NODES * SLOTS_PER_NODE;

    enqueue(10_000, "alice");
    cluster.awaitCompleted(50, Duration.ofSeconds(10));
    UUID bob = enqueue(1, "bob").getFirst();
    Job started =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nodes.getFirst().get(bob).orElseThrow(), j -> j.startedAt() != null);
    Instant enqueuedAt = started.createdAt();

    long aliceStartedBetween =
        pg.queryLong(
            "SELECT count(*) FROM taskflow_jobs WHERE owner = 'alice' AND started_at >= ?"
                + " AND started_at < ?",
            enqueuedAt.toEpochMilli(),
            started.startedAt().toEpochMilli());
    long aliceWaiting =
        pg.queryLong(
            "SELECT count(*) FROM taskflow_jobs WHERE owner = 'alice' AND state = 'enqueued'");
    System.out.printf(
        "owner fairness: bob started %d ms after enqueue; %d of alice's jobs started in between"
            + " (%d slots); alice still has %d waiting%n",
        Duration.between(enqueuedAt, started.startedAt()).toMillis(),
        aliceStartedBetween,
        slots,
        aliceWaiting);
    assertThat(aliceStartedBetween).isLessThanOrEqualTo(slots);
    assertThat(aliceWaiting).as("alice's backlog is still there").isGreaterThan(5_000);
  }

  /** The start times of an owner's jobs (store clock, epoch ms), earliest first. */
  private List<Long> startsOf(String owner) throws SQLException {
    return pg.queryLongs(
        "SELECT started_at FROM taskflow_jobs WHERE owner = ? AND started_at IS NOT NULL"
            + " ORDER BY started_at",
        owner);
  }

  /** The most starts in any window of {@code period} that begins at a start. */
  private static int mostStartsInAnyWindow(List<Long> sortedStarts, Duration period) {
    int worst = 0;
    for (int i = 0; i < sortedStarts.size(); i++) {
      int inWindow = 0;
      for (int j = i;
          j < sortedStarts.size() && sortedStarts.get(j) < sortedStarts.get(i) + period.toMillis();
          j++) {
        inWindow++;
      }
      worst = Math.max(worst, inWindow);
    }
    return worst;
  }

  @Test
  void a_rate_limit_of_r_a_minute_per_owner_holds_across_three_nodes_and_the_rest_wait_enqueued()
      throws Exception {
    int rate = 5;
    Duration minute = Duration.ofMinutes(1);
    List<String> owners = List.of("alice", "bob");
    slotsPerNode = 2; // fewer slots than starts, so that the first window's starts spread out
    jobMillis = 100;
    startNodes(
        FlowLimit.builder("five-a-minute-per-owner")
            .queue(QUEUE)
            .scope(FlowLimit.Scope.OWNER)
            .rate(rate, minute)
            .build());
    for (int i = 0; i < owners.size(); i++) {
      enqueue(nodes.get(i), 3 * rate, "work", QUEUE, owners.get(i)); // each owner from its node
    }

    // one window roll-over: the second R of each owner start after that owner's first minute
    cluster.awaitCompleted(2L * rate * owners.size(), Duration.ofSeconds(75));

    for (String owner : owners) {
      List<Long> starts = startsOf(owner);
      long first = starts.getFirst();
      long inFirstMinute = starts.stream().filter(t -> t < first + minute.toMillis()).count();
      System.out.printf(
          "rate %d per %s per owner over %d nodes: %s started at +%s ms%n",
          rate, minute, NODES, owner, starts.stream().map(t -> String.valueOf(t - first)).toList());
      assertThat(starts).as("%s's jobs started so far", owner).hasSize(2 * rate);
      assertThat(inFirstMinute).as("%s's starts in its first minute", owner).isEqualTo(rate);
      assertThat(starts.get(rate) - first)
          .as("ms from %s's first start to its next start over the limit", owner)
          .isGreaterThanOrEqualTo(minute.toMillis());
      assertThat(mostStartsInAnyWindow(starts, minute))
          .as("%s's starts in any minute", owner)
          .isEqualTo(rate);
      assertThat(
              pg.queryLong(
                  "SELECT count(*) FROM taskflow_jobs WHERE owner = ? AND state = 'enqueued'"
                      + " AND attempt = 0 AND started_at IS NULL",
                  owner))
          .as("%s's jobs over the limit wait, enqueued and never started", owner)
          .isEqualTo(rate);
    }
    assertThat(
            pg.queryLong(
                "SELECT count(*) FROM taskflow_jobs WHERE state NOT IN ('enqueued', 'completed')"))
        .as("jobs failed, retrying or cancelled")
        .isZero();
    assertThat(
            pg.queryLong(
                "SELECT count(*) FROM taskflow_jobs WHERE state = 'completed' AND attempt <> 1"))
        .as("completed jobs that needed another attempt")
        .isZero();
    assertThat(ranOn.values().stream().distinct().count())
        .as("nodes that started jobs")
        .isGreaterThan(1);
  }

  @Test
  void a_limit_on_a_type_caps_it_across_queues_and_nodes_and_leaves_other_types_alone()
      throws Exception {
    int cap = 3;
    jobMillis = 20;
    startNodes(FlowLimit.builder("capped-type").type("work.capped").maxRunning(cap).build());
    RunningSampler sampler = new RunningSampler(pg.name(), "type");

    for (int i = 0; i < NODES; i++) {
      enqueue(nodes.get(i), 40, "work.capped", i % 2 == 0 ? QUEUE : OTHER_QUEUE, null);
      enqueue(nodes.get(i), 40, "work", i % 2 == 0 ? OTHER_QUEUE : QUEUE, null);
    }
    cluster.awaitCompleted(240, Duration.ofSeconds(30));
    Map<String, Integer> sampled = sampler.stopAndGet();

    System.out.printf(
        "type limit %d over 2 queues, %d nodes x %d slots: work.capped in flight %d (rows %d),"
            + " work in flight %d (rows %d)%n",
        cap,
        NODES,
        SLOTS_PER_NODE,
        inFlight.max("type=work.capped"),
        sampled.getOrDefault("work.capped", 0),
        inFlight.max("type=work"),
        sampled.getOrDefault("work", 0));
    assertThat(inFlight.max("type=work.capped")).as("capped jobs in flight").isEqualTo(cap);
    assertThat(sampled.get("work.capped")).as("capped processing rows").isLessThanOrEqualTo(cap);
    assertThat(inFlight.max("type=work")).as("other jobs in flight").isGreaterThan(cap);
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_jobs WHERE attempt <> 1")).isZero();
  }
}
