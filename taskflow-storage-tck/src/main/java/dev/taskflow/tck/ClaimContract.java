package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobClaimParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Claims: order, limits, filters, paused queues, the lease they grant, and concurrency. */
public interface ClaimContract extends TckSupport {

  // Claim order is checked one claim at a time, since a batch's return order is not part of the
  // contract (SQL's UPDATE ... RETURNING does not promise one).
  @Test
  default void claims_follow_priority_then_due_time_then_id() {
    Instant now = clock().instant();
    Job a = insert(job().runAt(now.minusSeconds(10)));
    Job b = insert(job().priority(5));
    Job c = insert(job());
    Job d = insert(job().runAt(now.minusSeconds(10)));
    Job e = insert(job().priority(-5).runAt(now.minus(Duration.ofHours(1))));
    Job f = insert(job().priority(100));

    List<UUID> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) order.add(claimOne(SERVER_A).id());

    assertThat(order).containsExactly(f.id(), b.id(), a.id(), d.id(), c.id(), e.id());
    assertThat(claim(QUEUE, 10)).isEmpty();
  }

  @Test
  default void a_batch_claim_takes_the_first_jobs_in_claim_order() {
    Job low = insert(job().priority(-1));
    Job high1 = insert(job().priority(10));
    Job mid = insert(job());
    Job high2 = insert(job().priority(10));

    List<Job> claimed = claim(QUEUE, 3);

    assertThat(claimed)
        .extracting(Job::id)
        .containsExactlyInAnyOrder(high1.id(), high2.id(), mid.id());
    assertThat(get(low.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_claim_takes_at_most_max_jobs_and_leaves_the_rest_enqueued() {
    insertN(5, s -> s);

    assertThat(claim(QUEUE, 2)).hasSize(2);
    assertThat(counts().get(JobState.PROCESSING)).isEqualTo(2);
    assertThat(counts().get(JobState.ENQUEUED)).isEqualTo(3);
    assertThat(claim(QUEUE, 0)).isEmpty();
  }

  @Test
  default void a_claim_takes_only_jobs_of_its_queue() {
    Job other = insert(job().queue("other"));
    Job mine = insert(job().queue("mine"));

    assertThat(claim("mine", 10)).extracting(Job::id).containsExactly(mine.id());
    assertThat(claim("nobody", 10)).isEmpty();
    assertThat(get(other.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_claim_takes_only_the_requested_types() {
    Job wanted = insert(job().type("t.wanted").priority(-10));
    Job unwanted = insert(job().type("t.unwanted").priority(10));

    List<Job> claimed =
        store()
            .jobClaim(new JobClaimParams(QUEUE, 10, SERVER_A, LEASE, Set.of("t.wanted"), Map.of()));

    assertThat(claimed).extracting(Job::id).containsExactly(wanted.id());
    assertThat(get(unwanted.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_claim_excluding_a_type_prefix_never_takes_those_jobs() {
    assertAClaimExcludingTaskflowTypesTakesOnlyTheUsersJob();
  }

  @Test
  default void type_limits_cap_how_many_of_each_type_are_claimed() {
    insertN(3, s -> s.type("t.capped"));
    insertN(2, s -> s.type("t.full"));
    insertN(2, s -> s.type("t.free"));

    List<Job> claimed =
        store()
            .jobClaim(
                new JobClaimParams(
                    QUEUE, 10, SERVER_A, LEASE, Set.of(), Map.of("t.capped", 1, "t.full", 0)));

    assertThat(claimed)
        .extracting(Job::type)
        .containsExactlyInAnyOrder("t.capped", "t.free", "t.free");
  }

  @Test
  default void a_paused_queue_gives_out_nothing_until_resumed() {
    Job j = insert(job());
    store().queuePause(QUEUE);

    assertThat(claim(QUEUE, 10)).isEmpty();
    assertThat(get(j.id()).state()).isEqualTo(JobState.ENQUEUED);

    store().queueResume(QUEUE);
    assertThat(claim(QUEUE, 10)).extracting(Job::id).containsExactly(j.id());
  }

  @Test
  default void scheduled_jobs_are_not_claimed_before_they_are_promoted() {
    insert(job().delay(Duration.ofMinutes(1)));

    assertThat(claim(QUEUE, 10)).isEmpty();
  }

  @Test
  default void a_claim_grants_a_lease_from_the_store_clock_and_appends_job_started() {
    Job inserted = insert(job());
    Instant claimAt = clock().advance(Duration.ofSeconds(7));

    Job claimed = claimOne(SERVER_A);

    assertThat(claimed.state()).isEqualTo(JobState.PROCESSING);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.leaseOwner()).isEqualTo(SERVER_A);
    assertThat(claimed.leaseExpiresAt()).isEqualTo(claimAt.plus(LEASE));
    assertThat(claimed.startedAt()).isEqualTo(claimAt);
    assertThat(claimed.createdAt()).isEqualTo(inserted.createdAt());
    assertThat(get(claimed.id())).isEqualTo(claimed);
    HistoryEntry last = claimed.history().get(claimed.history().size() - 1);
    assertThat(last.state()).isEqualTo(JobState.PROCESSING);
    assertThat(last.at()).isEqualTo(claimAt);
    JobEvent started = lastEvent(claimed.id());
    assertThat(started.type()).isEqualTo(JobEvent.STARTED);
    assertThat(started.time()).isEqualTo(claimAt);
    assertThat(json(started.dataJson()).path("attempt").asInt()).isEqualTo(1);
    assertThat(json(started.dataJson()).path("server").asString()).isEqualTo(SERVER_A);
  }

  @Test
  default void the_queue_position_counts_the_jobs_claimed_before_it() {
    Job second = insert(job());
    Job first = insert(job().priority(1));
    Job third = insert(job());
    Job elsewhere = insert(job().queue("other"));
    Job later = insert(job().delay(Duration.ofMinutes(1)));

    assertThat(store().jobQueuePosition(first.id())).isZero();
    assertThat(store().jobQueuePosition(second.id())).isEqualTo(1);
    assertThat(store().jobQueuePosition(third.id())).isEqualTo(2);
    assertThat(store().jobQueuePosition(elsewhere.id())).isZero();
    assertThat(store().jobQueuePosition(later.id())).isEqualTo(-1);
    assertThat(store().jobQueuePosition(newId())).isEqualTo(-1);
    claimOne(SERVER_A);
    assertThat(store().jobQueuePosition(first.id())).isEqualTo(-1);
    assertThat(store().jobQueuePosition(third.id())).isEqualTo(1);
  }

  @Test
  default void concurrent_claimers_never_share_a_job_and_claim_them_all() throws Exception {
    int total = 2_000;
    int threads = 8;
    for (int i = 0; i < total; i += 500) {
      JobSpec[] batch = new JobSpec[Math.min(500, total - i)];
      for (int k = 0; k < batch.length; k++) batch[k] = job().priority(k % 7 - 3);
      insertMany(batch);
    }
    Set<UUID> seen = ConcurrentHashMap.newKeySet();
    Queue<UUID> duplicates = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "claimer-" + t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int mine = 0;
                  while (true) {
                    List<Job> got = claim(QUEUE, 10, owner);
                    if (got.isEmpty()) return mine;
                    for (Job j : got) {
                      assertThat(j.leaseOwner()).isEqualTo(owner);
                      if (!seen.add(j.id())) duplicates.add(j.id());
                    }
                    mine += got.size();
                  }
                }));
      }
      start.countDown();
      int sum = 0;
      for (Future<Integer> f : results) sum += f.get(2, TimeUnit.MINUTES);

      assertThat(duplicates).as("jobs claimed twice").isEmpty();
      assertThat(sum).isEqualTo(total);
      assertThat(seen).hasSize(total);
      assertThat(counts().get(JobState.PROCESSING)).isEqualTo(total);
      assertThat(counts().get(JobState.ENQUEUED)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
