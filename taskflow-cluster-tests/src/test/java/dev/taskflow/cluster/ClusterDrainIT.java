package dev.taskflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobListParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three worker JVMs drain one queue of 10,000 no-op jobs on a shared store: once undisturbed, once
 * with one of them killed (SIGKILL) in the middle.
 */
class ClusterDrainIT extends ClusterTestBase {
  private static final int JOBS = 10_000;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

  ClusterDrainIT() {
    super(false);
  }

  @Test
  void three_workers_drain_ten_thousand_jobs_and_each_completes_exactly_once() {
    List<Node> workers = cluster.startWorkers(3, Duration.ofSeconds(30), 10);
    long t0 = System.nanoTime();
    List<UUID> ids;
    long enqueueMs;
    LeaseSampler sampler = new LeaseSampler(cluster.storage());
    try (sampler) {
      ids = cluster.enqueueNoops(JOBS);
      enqueueMs = (System.nanoTime() - t0) / 1_000_000;
      cluster.awaitCompleted(JOBS, DRAIN_TIMEOUT);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    StoreAudit audit = StoreAudit.read(cluster.storage());
    List<String> leaseViolations = sampler.violations(audit);
    Map<String, Long> perNode = startsPerNode(audit, workers);

    cluster
        .report("drain-3-workers")
        .put("jobs", ids.size())
        .put("completed", ids.size() - audit.notCompleted(ids).size())
        .put("lost", audit.missing(ids).size())
        .put("completionsNotOne", audit.completionsOtherThanOne(ids).size())
        .put("ranMoreThanOnce", audit.ranMoreThanOnce(ids).size())
        .put("twoLiveLeases", leaseViolations.size())
        .put("samples", sampler.samples())
        .put("attemptsSampled", sampler.attemptsSeen())
        .put("perNode", perNode)
        .put("enqueueMs", enqueueMs)
        .put("seconds", String.format("%.1f", seconds))
        .put("jobsPerSecond", Math.round(ids.size() / seconds))
        .write();

    assertThat(audit.missing(ids)).as("acknowledged jobs missing from the store").isEmpty();
    assertThat(audit.notCompleted(ids)).as("jobs not completed").isEmpty();
    assertThat(audit.completionsOtherThanOne(ids)).as("job.completed events per job").isEmpty();
    assertThat(audit.historyCompletionsOtherThanOne(ids)).as("completed history entries").isEmpty();
    assertThat(audit.ranMoreThanOnce(ids)).as("jobs claimed more than once").isEmpty();
    assertThat(leaseViolations).as("jobs held by two live leases").isEmpty();
    assertThat(sampler.attemptsSeen()).as("attempts the sampler saw processing").isPositive();
    assertThat(perNode.values()).as("jobs run per node " + perNode).allMatch(n -> n > 0);
  }

  @Test
  void when_one_of_three_workers_is_killed_every_job_still_completes() {
    Duration lease = Duration.ofSeconds(3);
    List<Node> workers = cluster.startWorkers(3, lease, 10);
    Node victim = workers.getFirst();
    List<UUID> ids;
    List<UUID> heldAtDeath;
    Instant killedAt;
    LeaseSampler sampler = new LeaseSampler(cluster.storage());
    try (sampler) {
      ids = cluster.enqueueNoops(JOBS);
      cluster.awaitCompleted(JOBS / 4, DRAIN_TIMEOUT);
      // Freeze the victim (SIGSTOP) while the store shows it holding leases, so that what it holds
      // when it dies is known: no-op jobs finish in milliseconds, and a plain check before the
      // kill can race with the victim's last outcomes.
      await("the victim frozen while it holds leases")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                victim.pause();
                // twice: an outcome the victim sent just before it froze may still commit
                List<UUID> first = heldIds(victim);
                List<UUID> settled = first.isEmpty() ? first : heldIds(victim);
                if (!settled.isEmpty() && settled.equals(first)) return true;
                victim.resume();
                return false;
              });
      heldAtDeath = heldIds(victim);
      victim.kill();
      killedAt = cluster.storage().now();
      assertThat(cluster.completedCount()).as("jobs completed before the kill").isLessThan(JOBS);
      cluster.awaitCompleted(JOBS, DRAIN_TIMEOUT);
    }
    StoreAudit audit = StoreAudit.read(cluster.storage());
    List<UUID> reran = audit.ranMoreThanOnce(ids);
    List<UUID> reranNotFromVictim =
        reran.stream()
            .filter(id -> !victim.owns(audit.trail(id).starts.getFirst().server()))
            .toList();
    List<String> leaseViolations = sampler.violations(audit);
    Instant lastFinish = audit.lastFinish(ids);

    cluster
        .report("sigkill-1-of-3")
        .put("lease", lease)
        .put("jobs", ids.size())
        .put("completed", ids.size() - audit.notCompleted(ids).size())
        .put("lost", audit.missing(ids).size())
        .put("completionsNotOne", audit.completionsOtherThanOne(ids).size())
        .put("ranMoreThanOnce", reran.size())
        .put("ranMoreThanOnceNotFromVictim", reranNotFromVictim.size())
        .put("victimAttemptsSampled", sampler.attemptsHeldBy(victim))
        .put("twoLiveLeases", leaseViolations.size())
        .put("killToLastCompletionMs", Duration.between(killedAt, lastFinish).toMillis())
        .put("perNode", startsPerNode(audit, workers))
        .write();

    assertThat(audit.missing(ids)).as("acknowledged jobs missing from the store").isEmpty();
    assertThat(audit.notCompleted(ids)).as("jobs not completed").isEmpty();
    assertThat(audit.completionsOtherThanOne(ids)).as("job.completed events per job").isEmpty();
    assertThat(audit.historyCompletionsOtherThanOne(ids)).as("completed history entries").isEmpty();
    assertThat(heldAtDeath).as("jobs the victim held when it died").isNotEmpty();
    assertThat(reran).as("jobs the killed worker held ran again").containsAll(heldAtDeath);
    assertThat(reran)
        .as("jobs that ran again: each earlier attempt ended by an expired lease")
        .allSatisfy(
            id -> assertThat(audit.leaseExpiries(id)).isEqualTo(audit.jobs.get(id).attempt() - 1));
    assertThat(leaseViolations).as("jobs held by two live leases").isEmpty();
    assertThat(workers.subList(1, 3)).as("survivors").allMatch(Node::isAlive);
  }

  private List<UUID> heldIds(Node node) {
    return leasesHeldBy(node).stream().map(Job::id).sorted().toList();
  }

  private List<Job> leasesHeldBy(Node node) {
    return cluster
        .storage()
        .jobList(new JobListParams(Set.of(JobState.PROCESSING), null, null, null, null, null, 1000))
        .stream()
        .filter(j -> node.owns(j.leaseOwner()))
        .toList();
  }

  /** Claims per node (from job.started events), by node name. */
  private static Map<String, Long> startsPerNode(StoreAudit audit, List<Node> nodes) {
    Map<String, Long> out = new TreeMap<>();
    for (Node n : nodes) out.put(n.name(), 0L);
    audit.trails.values().stream()
        .flatMap(t -> t.starts.stream())
        .collect(Collectors.groupingBy(StoreAudit.Start::server, Collectors.counting()))
        .forEach(
            (server, count) ->
                nodes.stream()
                    .filter(n -> n.owns(server))
                    .findFirst()
                    .ifPresent(n -> out.put(n.name(), count)));
    return out;
  }
}
