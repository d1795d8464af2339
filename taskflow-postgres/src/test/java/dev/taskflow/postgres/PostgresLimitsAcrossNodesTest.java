package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobRequest;
import dev.taskflow.TaskFlow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The cluster-wide promises of limits on real PostgreSQL, with three servers (three TaskFlow
 * instances in this JVM, each with its own connection pool) on one schema. Running counts are
 * sampled two ways: by the handlers (jobs in flight, with an atomic maximum) and by a thread that
 * counts processing rows in the database.
 */
class PostgresLimitsAcrossNodesTest {
  private static final String QUEUE = "limited";
  private static final int NODES = 3;
  private static final int SLOTS_PER_NODE = 8;

  private String schema;
  private final List<TaskFlow> nodes = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long jobMillis = 5;

  @BeforeEach
  void start_three_nodes_on_one_schema() {
    PgTestDatabase.requireAvailable();
    schema = PgTestDatabase.newSchema("tf_limits");
  }

  @AfterEach
  void stop() {
    for (TaskFlow tf : nodes) tf.stop(Duration.ofMillis(200));
    PgTestDatabase.dropSchema(schema);
  }

  private TaskFlow node(int i, FlowLimit limit) {
    TaskFlow tf =
        TaskFlow.builder()
            .storage(PgTestDatabase.store(schema).poolSize(4).build())
            .serverId("node-" + i)
            .worker(
                "work",
                JsonNode.class,
                (args, ctx) -> {
                  int now = inFlight.incrementAndGet();
                  maxInFlight.accumulateAndGet(now, Math::max);
                  try {
                    LockSupport.parkNanos(Duration.ofMillis(jobMillis).toNanos()); // the work
                  } finally {
                    inFlight.decrementAndGet();
                  }
                  return null;
                })
            .queue(QUEUE, q -> q.concurrency(SLOTS_PER_NODE))
            .limit(limit)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofMillis(200))
            .build();
    nodes.add(tf);
    return tf;
  }

  private void startNodes(FlowLimit limit) {
    for (int i = 0; i < NODES; i++) node(i, limit);
    nodes.forEach(TaskFlow::start);
  }

  private List<UUID> enqueue(int n, String owner) {
    List<JobRequest> batch = new ArrayList<>();
    EnqueueOptions o = EnqueueOptions.defaults().queue(QUEUE);
    if (owner != null) o = o.owner(owner);
    for (int i = 0; i < n; i++) batch.add(new JobRequest("work", "{}", o));
    List<UUID> ids = new ArrayList<>();
    nodes.getFirst().enqueueAll(batch).forEach(r -> ids.add(r.job().id()));
    return ids;
  }

  private long count(String sql, Object... args) throws SQLException {
    try (Connection c = PgTestDatabase.connect(schema);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Samples the processing rows of the queue until stopped; returns the largest count seen. */
  private Thread sampler(AtomicBoolean stop, AtomicInteger maxSampled) {
    return Thread.ofPlatform()
        .start(
            () -> {
              try (Connection c = PgTestDatabase.connect(schema);
                  PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT count(*) FROM taskflow_jobs WHERE state = 'processing'"
                              + " AND queue = '"
                              + QUEUE
                              + "'")) {
                while (!stop.get()) {
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    maxSampled.accumulateAndGet((int) rs.getLong(1), Math::max);
                  }
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @Test
  void a_global_limit_of_n_is_never_exceeded_by_three_nodes_with_many_slots() throws Exception {
    int n = 4;
    startNodes(FlowLimit.builder("four").queue(QUEUE).maxRunning(n).build());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger maxSampled = new AtomicInteger();
    Thread sampling = sampler(stop, maxSampled);

    enqueue(300, null);
    await()
        .atMost(Duration.ofSeconds(18))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> count("SELECT count(*) FROM taskflow_jobs WHERE state = 'completed'") == 300);
    stop.set(true);
    sampling.join();

    System.out.printf(
        "global limit %d, %d nodes x %d slots: max in flight %d, max processing rows %d%n",
        n, NODES, SLOTS_PER_NODE, maxInFlight.get(), maxSampled.get());
    assertThat(maxInFlight.get()).as("jobs in flight at once").isLessThanOrEqualTo(n);
    assertThat(maxSampled.get()).as("processing rows at once").isLessThanOrEqualTo(n);
    assertThat(maxInFlight.get()).as("the limit is used, not just respected").isEqualTo(n);
    assertThat(count("SELECT count(*) FROM taskflow_jobs WHERE attempt <> 1")).isZero();
  }

  @Test
  void a_rate_limit_holds_across_three_nodes_in_every_window_of_its_period() throws Exception {
    int rate = 10;
    Duration period = Duration.ofSeconds(1);
    startNodes(FlowLimit.builder("ten-a-second").queue(QUEUE).rate(rate, period).build());
    jobMillis = 1;

    enqueue(35, null);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count("SELECT count(*) FROM taskflow_jobs WHERE state = 'completed'") == 35);

    List<Long> starts = new ArrayList<>();
    try (Connection c = PgTestDatabase.connect(schema);
        PreparedStatement ps =
            c.prepareStatement("SELECT started_at FROM taskflow_jobs ORDER BY started_at");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) starts.add(rs.getLong(1));
    }
    int worst = 0;
    for (int i = 0; i < starts.size(); i++) {
      int inWindow = 0;
      for (int j = i; j < starts.size() && starts.get(j) < starts.get(i) + period.toMillis(); j++) {
        inWindow++;
      }
      worst = Math.max(worst, inWindow);
    }
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
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("SELECT count(*) FROM taskflow_jobs WHERE state = 'completed'") >= 50);
    UUID bob = enqueue(1, "bob").getFirst();
    Job started =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nodes.getFirst().get(bob).orElseThrow(), j -> j.startedAt() != null);
    Instant enqueuedAt = started.createdAt();

    long aliceStartedBetween =
        count(
            "SELECT count(*) FROM taskflow_jobs WHERE owner = 'alice' AND started_at >= ?"
                + " AND started_at < ?",
            enqueuedAt.toEpochMilli(),
            started.startedAt().toEpochMilli());
    long aliceWaiting =
        count("SELECT count(*) FROM taskflow_jobs WHERE owner = 'alice' AND state = 'enqueued'");
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
}
