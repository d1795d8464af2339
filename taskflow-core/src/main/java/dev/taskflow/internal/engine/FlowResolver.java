package dev.taskflow.internal.engine;

import dev.taskflow.ServiceLoop;
import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.BatchResolveParams;
import dev.taskflow.spi.FlowStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves awaiting jobs on once their parents finish, and finishes batches whose members all
 * finished, by sweeping the store ({@link FlowStore#jobResolveAwaiting}, {@link
 * FlowStore#batchResolveFinished}) rather than inside every path that can finish a job (outcomes,
 * rescues, user changes, expiry, retention, remote workers): one place, and no finish path can
 * forget it.
 *
 * <p>Every server sweeps; each change in the store is conditional on the job still awaiting (the
 * batch still open), so concurrent sweeps move each job once and finish each batch once. A sweep
 * runs at once when this server sees a job finish (its own outcomes and, through the event bus,
 * other servers' events and user changes), and otherwise on a poll: a child starts within a few
 * milliseconds of its last parent finishing on the same server, and within the event poll interval
 * (PostgreSQL: a notification) when the parent finished elsewhere. Sweeps repeat while they change
 * something, so a cancel cascades down a chain in one pass.
 */
final class FlowResolver {
  private static final Logger log = LoggerFactory.getLogger(FlowResolver.class);
  private static final int BATCH = 1000;
  private static final int MAX_ROUNDS = 1000;

  private final FlowStore flows;
  private final String serverId;
  private final Runnable jobsReleased;
  private volatile ServiceLoop loop;

  FlowResolver(FlowStore flows, String serverId, Runnable jobsReleased) {
    this.flows = flows;
    this.serverId = serverId;
    this.jobsReleased = jobsReleased;
  }

  void start(Duration poll) {
    loop =
        ServiceLoop.builder(
                "flow-resolver",
                () -> {
                  sweep();
                  return null;
                })
            .every(Duration.ofMillis(Math.max(10, poll.toMillis())))
            .build()
            .start();
  }

  /** A job finished somewhere: sweep soon (coalesced with wake-ups already pending). */
  void wake() {
    ServiceLoop l = loop;
    if (l != null) l.wake();
  }

  void stop() {
    ServiceLoop l = loop;
    if (l != null) l.close();
  }

  /**
   * Resolves until nothing changes (bounded); on the caller's thread.
   *
   * @return how many jobs and batches changed
   */
  int sweep() {
    int total = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      int jobs = flows.jobResolveAwaiting(new AwaitingResolveParams(serverId, BATCH));
      int batches = flows.batchResolveFinished(new BatchResolveParams(serverId, BATCH));
      if (jobs + batches == 0) break;
      total += jobs + batches;
    }
    if (total > 0) {
      log.debug("flow resolver: {} awaiting jobs or batches moved on", total);
      jobsReleased.run();
    }
    return total;
  }
}
