package dev.taskflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.cluster.PgClusterStore.Lease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The maintenance leadership lives in the store: when the leader process dies, another node takes
 * it over once the dead leader's lease has run out, and never before.
 */
class LeaderFailoverIT extends ClusterTestBase {
  /** The CLI has no option for it yet, so the nodes run with the engine's default. */
  private static final Duration TTL = TaskFlowBuilder.DEFAULT_LEADER_TTL;

  /** Every node tries to take or renew the leadership this often. */
  private static final Duration RENEW = TTL.dividedBy(3);

  LeaderFailoverIT() {
    super(true);
  }

  @Test
  void when_the_leader_dies_another_node_takes_over_once_its_lease_ran_out() throws Exception {
    List<Node> nodes = cluster.startWorkers(3, Duration.ofSeconds(30), 2);
    Lease first =
        await("a node leads")
            .atMost(TTL)
            .pollInterval(Duration.ofMillis(100))
            .until(
                postgres()::maintenanceLeader,
                l -> l != null && nodes.stream().anyMatch(n -> n.owns(l.owner())));
    Node leader = nodes.stream().filter(n -> n.owns(first.owner())).findFirst().orElseThrow();
    // the lease as the leader last renewed it, right before it dies
    leader.pause();
    Lease last = postgres().maintenanceLeader();
    leader.kill();
    long killedAtMs = System.currentTimeMillis();

    Lease next =
        await("another node leads")
            .atMost(TTL.plus(RENEW).plusSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(postgres()::maintenanceLeader, l -> l != null && !leader.owns(l.owner()));
    long takenAtMs = System.currentTimeMillis();
    long earliestTakeMs = next.expiresAtMs() - TTL.toMillis(); // when the new owner took it

    cluster
        .report("leader-failover")
        .put("ttl", TTL)
        .put("killToTakeoverMs", takenAtMs - killedAtMs)
        .put("deadLeaseExpiryToTakeoverMs", earliestTakeMs - last.expiresAtMs())
        .put("newLeader", nodes.stream().filter(n -> n.owns(next.owner())).findFirst().orElse(null))
        .write();

    assertThat(nodes.stream().filter(n -> n.owns(next.owner())))
        .as("the new leader is a live node")
        .singleElement()
        .matches(Node::isAlive);
    assertThat(earliestTakeMs)
        .as("taken over after the dead leader's lease expired at " + last.expiresAtMs())
        .isGreaterThanOrEqualTo(last.expiresAtMs());
    assertThat(earliestTakeMs - last.expiresAtMs())
        .as("taken over within one renewal interval of the expiry")
        .isLessThanOrEqualTo(RENEW.plusSeconds(2).toMillis());
  }
}
