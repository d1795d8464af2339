package dev.taskflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stop-the-world pause longer than the lease: the paused worker's job is rescued and run by
 * another worker, and when the paused one wakes up its result is fenced off.
 */
class StaleWorkerIT extends ClusterTestBase {
  private static final Duration LEASE = Duration.ofSeconds(2);

  /** Longer than the time the other worker needs to take the job over, so both overlap. */
  private static final long JOB_MS = 3_000;

  StaleWorkerIT() {
    // PostgreSQL only: on SQLite a stopped process can hold the file lock and stall every node.
    super(true);
  }

  @Test
  void a_worker_paused_past_its_lease_cannot_complete_the_job_another_worker_took() {
    List<Node> workers = cluster.startWorkers(2, LEASE, 4);
    UUID id =
        cluster
            .client()
            .enqueue(JobRequest.of(Cluster.SLEEP, "{\"ms\": " + JOB_MS + "}"))
            .job()
            .id();

    Job first =
        await("the job is claimed")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> job(id), j -> j != null && j.state() == JobState.PROCESSING);
    Node stale = workers.stream().filter(n -> n.owns(first.leaseOwner())).findFirst().orElseThrow();
    Node taker = workers.stream().filter(n -> n != stale).findFirst().orElseThrow();
    stale.pause();
    long pausedAt = System.nanoTime();
    Job second;
    try {
      second =
          await("another worker takes the job over")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () -> job(id),
                  j -> j != null && j.state() == JobState.PROCESSING && j.attempt() == 2);
    } finally {
      stale.resume();
    }
    long pausedMs = (System.nanoTime() - pausedAt) / 1_000_000;
    assertThat(second.leaseOwner()).as("the new lease owner").isEqualTo(taker.serverId());

    String fence =
        await("the stale worker learns it lost the job")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> fenceSeenBy(stale, id), f -> f != null);
    Job done =
        await("the job completes")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> job(id), j -> j != null && j.state().isFinished());
    StoreAudit audit = StoreAudit.read(cluster.storage());
    StoreAudit.Trail trail = audit.trail(id);

    cluster
        .report("sigstop-past-lease")
        .put("lease", LEASE)
        .put("pausedMs", pausedMs)
        .put("fence", fence)
        .put("finalState", done.state())
        .put("finalAttempt", done.attempt())
        .put("claims", trail.starts.size())
        .put("completions", trail.completedAttempts.size())
        .put("completedBy", taker.owns(completedBy(done)) ? "taker" : completedBy(done))
        .write();

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.attempt()).as("final attempt").isEqualTo(2);
    assertThat(done.errors())
        .as("attempt 1 ended by its expired lease")
        .extracting(JobError::attempt, JobError::type)
        .containsExactly(tuple(1, "lease_expired"));
    assertThat(trail.completedAttempts)
        .as("attempts with a job.completed event")
        .containsExactly(2);
    assertThat(StoreAudit.completedEntries(done)).as("completed entries in the history").isOne();
    assertThat(completedBy(done)).as("the server that completed it").isEqualTo(taker.serverId());
    assertThat(stale.isAlive()).as("the stale worker survives its lost lease").isTrue();
  }

  /** The job as the store has it now, or null. */
  private Job job(UUID id) {
    return cluster.client().get(id).orElse(null);
  }

  private static String completedBy(Job job) {
    return job.history().stream()
        .filter(h -> h.state() == JobState.COMPLETED)
        .map(h -> h.server())
        .findFirst()
        .orElse(null);
  }

  /**
   * How the stale worker's attempt ended, from its log: "store" when the store refused its
   * completion (the fenced write), "heartbeat" when its heartbeat learned first that the lease was
   * gone and it dropped the result; null while neither happened.
   */
  private static String fenceSeenBy(Node node, UUID id) {
    String log = node.log();
    if (log.contains("job " + id + " attempt 1: outcome Completed rejected by the store")) {
      return "store";
    }
    if (log.contains(
        "job " + id + " (" + Cluster.SLEEP + ") attempt 1: lease lost, result dropped")) {
      return "heartbeat";
    }
    return null;
  }
}
