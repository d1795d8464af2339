package dev.taskflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueResult;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.fixtures.LocalPgCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL crashes and restarts ({@code pg_ctlcluster restart -m immediate}) while a client
 * enqueues and workers run jobs: nothing acknowledged is lost, and the same worker processes carry
 * on once the database is back.
 */
class ClusterPostgresRestartIT extends ClusterTestBase {
  private static final int BATCH = 10;

  private LocalPgCluster pg;

  ClusterPostgresRestartIT() {
    super(true);
  }

  @BeforeEach
  void find_the_local_cluster() {
    pg = LocalPgCluster.orFailUnderCi();
  }

  @AfterEach
  void leave_postgres_running() {
    if (pg != null) pg.ensureUp();
  }

  @Test
  void after_an_immediate_restart_of_postgres_no_acknowledged_job_is_lost_and_workers_resume() {
    List<Node> workers = cluster.startWorkers(2, Duration.ofSeconds(5), 10);
    Set<UUID> acked = ConcurrentHashMap.newKeySet();
    AtomicLong refused = new AtomicLong();
    Producer producer = new Producer(cluster, acked, refused);
    Instant readyAt;
    long outageMs;
    int ackedBefore;
    try {
      await("load before the restart")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> acked.size() >= 1000 && cluster.completedCount() >= 500);
      ackedBefore = acked.size();
      long t0 = System.nanoTime();
      pg.restartImmediately();
      outageMs = (System.nanoTime() - t0) / 1_000_000;
      readyAt = Instant.now();
      await("enqueues succeed again after the restart")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> acked.size() >= ackedBefore + 1000);
    } finally {
      producer.close();
    }
    await("every job finished")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(this::unfinished, n -> n == 0);

    StoreAudit audit = StoreAudit.read(cluster.storage());
    Map<String, Long> resumeMs = new TreeMap<>();
    for (Node w : workers) {
      audit.trails.values().stream()
          .flatMap(t -> t.starts.stream())
          .filter(s -> w.owns(s.server()) && s.at().isAfter(readyAt))
          .map(StoreAudit.Start::at)
          .min(Instant::compareTo)
          .ifPresent(first -> resumeMs.put(w.name(), Duration.between(readyAt, first).toMillis()));
    }
    List<UUID> ids = List.copyOf(acked);

    cluster
        .report("postgres-immediate-restart")
        .put("pg", pg.version())
        .put("acked", ids.size())
        .put("ackedBeforeRestart", ackedBefore)
        .put("enqueueErrors", refused.get())
        .put("lost", audit.missing(ids).size())
        .put("notCompleted", audit.notCompleted(ids).size())
        .put("completionsNotOne", audit.completionsOtherThanOne(ids).size())
        .put("ranMoreThanOnce", audit.ranMoreThanOnce(ids).size())
        .put("restartMs", outageMs)
        .put("firstClaimAfterRestartMs", resumeMs)
        .write();

    assertThat(audit.missing(ids)).as("acknowledged jobs missing after the restart").isEmpty();
    assertThat(audit.notCompleted(ids)).as("acknowledged jobs not completed").isEmpty();
    assertThat(audit.completionsOtherThanOne(ids)).as("job.completed events per job").isEmpty();
    assertThat(workers).as("the workers were not restarted").allMatch(Node::isAlive);
    assertThat(resumeMs.keySet())
        .as(
            () ->
                "workers that claimed jobs after the restart "
                    + cluster.nodeLogs()
                    + workers.stream().map(Node::threadDump).toList())
        .containsExactlyInAnyOrderElementsOf(workers.stream().map(Node::name).toList());
  }

  /** Jobs not yet finished, from the store's counters. */
  private long unfinished() {
    Map<JobState, Long> counts = cluster.client().cluster().stateCounts();
    return counts.getOrDefault(JobState.ENQUEUED, 0L)
        + counts.getOrDefault(JobState.PROCESSING, 0L)
        + counts.getOrDefault(JobState.SCHEDULED, 0L);
  }

  /**
   * Enqueues small batches of no-op jobs back to back on its own thread, about 500 jobs a second,
   * and keeps the ids of every batch the store acknowledged. A failed batch (the database is down)
   * is counted and retried as a new batch.
   */
  private static final class Producer implements AutoCloseable {
    private final BackgroundLoop loop;

    Producer(Cluster cluster, Set<UUID> acked, AtomicLong refused) {
      loop =
          new BackgroundLoop(
              "restart-producer",
              Duration.ofMillis(20),
              () -> {
                List<JobRequest> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) batch.add(JobRequest.of(Cluster.NOOP, "{}"));
                try {
                  for (EnqueueResult r : cluster.client().enqueueAll(batch)) {
                    acked.add(r.job().id());
                  }
                } catch (RuntimeException e) {
                  refused.incrementAndGet();
                }
              });
    }

    @Override
    public void close() {
      loop.close();
    }
  }
}
