package dev.taskflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobQuery;
import dev.taskflow.JobState;
import dev.taskflow.Page;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.cluster.PgClusterStore.Lease;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A recurring schedule that fires every second, on three server JVMs sharing one PostgreSQL schema,
 * fires each second exactly once although its leader is SIGKILLed mid-way.
 *
 * <p>Why there may be no gap: while no node leads (the dead leader's lease of {@link #TTL} has to
 * run out, then a node takes over at its next renewal, a third of the ttl), nothing fires; the new
 * leader then finds the schedule's {@code next_fire_at} a few seconds in the past. Those fires are
 * within the misfire grace (1 minute), so they count as on time and are all enqueued, and the
 * schedule's policy is {@code run_all} besides: every fire time from the first to the last has its
 * job. Why never twice: each fire is a compare-and-set of {@code next_fire_at} in the transaction
 * that inserts its job, and the job's unique key is {@code recurring:<id>:<fire time>}.
 */
class RecurringFailoverIT extends ClusterTestBase {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final String ID = "tick";

  RecurringFailoverIT() {
    super(true);
  }

  @Test
  void every_second_fires_exactly_once_across_three_nodes_with_the_leader_killed()
      throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      nodes.add(
          cluster.startWorker(
              "worker-" + i, Duration.ofSeconds(30), 4, List.of("--leader-ttl", TTL.toString())));
    }
    nodes.forEach(Node::awaitStarted);
    Instant putAt = Instant.now();
    cluster
        .client()
        .recurring()
        .put(
            RecurringSchedule.cron(ID, "* * * * * *")
                .job(Cluster.NOOP, "{}")
                .runAllMissed(RecurringSchedule.MAX_MISFIRE_LIMIT)
                .build());
    Instant putDone = Instant.now();

    await("five fires").atMost(Duration.ofSeconds(30)).until(() -> info().runs() >= 5);
    String leaderId =
        await("a leader").atMost(TTL.multipliedBy(3)).until(this::leaderOwner, o -> o != null);
    Node leader = nodes.stream().filter(n -> n.owns(leaderId)).findFirst().orElseThrow();
    leader.kill();
    Instant killedAt = Instant.now();

    // Well past the failover: the new leader has caught up and fires on time again.
    await("fires after the failover")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> info().lastFireAt(),
            t -> t != null && t.isAfter(killedAt.plus(TTL).plusSeconds(8)));
    cluster.client().recurring().pause(ID);
    await("every fire's job completed")
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobs().stream().allMatch(j -> j.state() == JobState.COMPLETED));

    List<Job> jobs = jobs();
    Map<String, Long> perKey =
        jobs.stream()
            .collect(Collectors.groupingBy(Job::uniqueKey, TreeMap::new, Collectors.counting()));
    List<Instant> fires =
        perKey.keySet().stream()
            .map(k -> Instant.ofEpochMilli(Long.parseLong(k.substring(k.lastIndexOf(':') + 1))))
            .sorted()
            .toList();
    List<Instant> gaps = new ArrayList<>();
    for (int i = 1; i < fires.size(); i++) {
      if (!fires.get(i).equals(fires.get(i - 1).plusSeconds(1))) gaps.add(fires.get(i - 1));
    }
    Set<String> enqueuers =
        jobs.stream().map(j -> j.history().getFirst().server()).collect(Collectors.toSet());
    Instant firstFire = fires.getFirst();

    cluster
        .report("recurring-failover")
        .put("ttl", TTL)
        .put("fires", fires.size())
        .put("from", firstFire)
        .put("to", fires.getLast())
        .put("killedAt", killedAt)
        .put("enqueuedBy", enqueuers.size())
        .write();

    assertThat(perKey.values()).as("jobs per fire time").containsOnly(1L);
    assertThat(jobs).hasSize(fires.size());
    assertThat(gaps).as("fire times not followed by the next second").isEmpty();
    assertThat(firstFire)
        .as("the first fire after the put")
        .isBetween(putAt, putDone.plusSeconds(1));
    assertThat(fires.getLast()).isAfter(killedAt.plus(TTL).plusSeconds(8));
    assertThat(info().runs()).isEqualTo(fires.size());
    assertThat(enqueuers)
        .as("fires enqueued by the killed leader and by its successor")
        .contains(leaderId)
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(jobs)
        .allSatisfy(
            j ->
                assertThat(j.history().stream().map(HistoryEntry::state).toList())
                    .startsWith(JobState.ENQUEUED));
  }

  private RecurringInfo info() {
    return cluster.client().recurring().get(ID).orElseThrow();
  }

  /** Every job of the schedule, by paging through the listing. */
  private List<Job> jobs() {
    List<Job> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<Job> page =
          cluster
              .client()
              .list(
                  JobQuery.all()
                      .states(Set.of(JobState.values()))
                      .tag("recurring:" + ID)
                      .limit(500)
                      .cursor(cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /** The maintenance leader as the store holds it, or null when its lease ran out. */
  private String leaderOwner() throws SQLException {
    Lease lease = postgres().maintenanceLeader();
    return lease != null && lease.expiresAtMs() > System.currentTimeMillis() ? lease.owner() : null;
  }
}
