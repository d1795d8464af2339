package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.FlowLimit;
import dev.taskflow.FlowLimit.Scope;
import dev.taskflow.Job;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.LimitUsage;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Limits: kept by name, and kept by every claim: a claim never starts a job that would exceed a
 * matching limit (running jobs per bucket, starts per rate period on the store clock), over-limit
 * jobs stay enqueued, a queue with an owner limit is claimed round-robin between owners, and two
 * claimers at once do not exceed a limit together.
 */
public interface LimitContract extends TckSupport {

  private FlowLimit.Builder limit(String name) {
    return FlowLimit.builder(name).queue(QUEUE);
  }

  private JobSpec keyed(String key) {
    return job().queue(QUEUE).flow(new JobFlow(List.of(), null, null, key, null, null));
  }

  private Set<UUID> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).collect(java.util.stream.Collectors.toSet());
  }

  private void complete(Job running) {
    assertThat(finish(new JobFinish.Completed(lease(running), "{}"))).contains(running.id());
  }

  @Test
  default void a_limited_claim_excluding_a_type_prefix_never_takes_those_jobs() {
    limitStore().save(limit("q-cap").maxRunning(5).build());
    assertAClaimExcludingTaskflowTypesTakesOnlyTheUsersJob();
  }

  @Test
  default void a_saved_limit_reads_back_and_is_replaced_by_name() {
    FlowLimit a =
        FlowLimit.builder("emails")
            .type("email.send")
            .queue("mail")
            .scope(Scope.OWNER)
            .maxRunning(2)
            .rate(100, Duration.ofMinutes(1))
            .build();
    FlowLimit b = FlowLimit.builder("a-mutex").scope(Scope.KEY).maxRunning(1).build();
    limitStore().save(a);
    limitStore().save(b);

    assertThat(limitStore().get("emails")).contains(a);
    assertThat(limitStore().list()).containsExactly(b, a);

    FlowLimit changed = FlowLimit.builder("emails").rate(5, Duration.ofSeconds(1)).build();
    limitStore().save(changed);
    assertThat(limitStore().get("emails")).contains(changed);
    assertThat(limitStore().list()).hasSize(2);
  }

  @Test
  default void a_deleted_limit_is_gone_and_deleting_an_unknown_one_changes_nothing() {
    limitStore().save(limit("gone").maxRunning(1).build());

    assertThat(limitStore().delete("gone")).isTrue();
    assertThat(limitStore().get("gone")).isEmpty();
    assertThat(limitStore().delete("gone")).isFalse();
    assertThat(limitStore().usage("gone")).isEmpty();
  }

  @Test
  default void a_global_limit_caps_running_jobs_and_the_rest_stay_enqueued() {
    limitStore().save(limit("three").maxRunning(3).build());
    List<Job> jobs = insertN(10, s -> s.queue(QUEUE));

    List<Job> first = claim(QUEUE, 10);
    assertThat(first).hasSize(3);
    assertThat(claim(QUEUE, 10, SERVER_B)).isEmpty();
    for (Job j : jobs) {
      if (ids(first).contains(j.id())) continue;
      Job waiting = get(j.id());
      assertThat(waiting.state()).isEqualTo(JobState.ENQUEUED);
      assertThat(waiting.attempt()).isZero();
    }

    complete(first.get(0));
    assertThat(claim(QUEUE, 10)).hasSize(1);
    assertThat(limitStore().usage("three").orElseThrow().running()).isEqualTo(Map.of("", 3L));
  }

  @Test
  default void a_limit_counts_only_the_jobs_its_selectors_match() {
    limitStore().save(FlowLimit.builder("one-report").type("report").maxRunning(1).build());
    insertN(3, s -> s.queue(QUEUE).type("report"));
    insertN(2, s -> s.queue(QUEUE).type("other"));
    insertN(2, s -> s.queue("elsewhere").type("report"));

    List<Job> claimed = claim(QUEUE, 10);
    assertThat(claimed).extracting(Job::type).containsExactlyInAnyOrder("report", "other", "other");
    assertThat(claim("elsewhere", 10)).isEmpty();
  }

  @Test
  default void a_key_limit_of_one_is_a_mutex_per_key_and_leaves_jobs_without_a_key_alone() {
    limitStore().save(limit("per-key").scope(Scope.KEY).maxRunning(1).build());
    Job k1 = insert(keyed("k1"));
    insert(keyed("k1"));
    Job k2 = insert(keyed("k2"));
    Job free1 = insert(job().queue(QUEUE));
    Job free2 = insert(job().queue(QUEUE));

    List<Job> claimed = claim(QUEUE, 10);

    assertThat(ids(claimed)).containsExactlyInAnyOrder(k1.id(), k2.id(), free1.id(), free2.id());
    assertThat(claim(QUEUE, 10)).isEmpty();
    complete(claimed.stream().filter(j -> j.id().equals(k1.id())).findFirst().orElseThrow());
    assertThat(claim(QUEUE, 10)).extracting(j -> j.flow().concurrencyKey()).containsExactly("k1");
  }

  @Test
  default void a_blocked_backlog_of_one_key_does_not_hide_the_jobs_behind_it() {
    limitStore().save(limit("per-key").scope(Scope.KEY).maxRunning(1).build());
    List<JobSpec> backlog = new ArrayList<>();
    for (int i = 0; i < 400; i++) backlog.add(keyed("busy"));
    insertMany(backlog.toArray(JobSpec[]::new));
    Job late = insert(keyed("idle"));

    List<Job> claimed = claim(QUEUE, 1);
    assertThat(claimed).extracting(j -> j.flow().concurrencyKey()).containsExactly("busy");
    assertThat(claim(QUEUE, 1)).extracting(Job::id).containsExactly(late.id());
  }

  @Test
  default void an_owner_limit_caps_each_owner_and_jobs_without_owner_share_one_budget() {
    limitStore().save(limit("per-owner").scope(Scope.OWNER).maxRunning(2).build());
    insertN(5, s -> s.queue(QUEUE).owner("alice"));
    insertN(1, s -> s.queue(QUEUE).owner("bob"));
    insertN(3, s -> s.queue(QUEUE));

    List<Job> claimed = claim(QUEUE, 10);

    assertThat(claimed)
        .extracting(j -> String.valueOf(j.owner()))
        .containsExactlyInAnyOrder("alice", "alice", "bob", "null", "null");
    LimitUsage usage = limitStore().usage("per-owner").orElseThrow();
    assertThat(usage.running()).isEqualTo(Map.of("alice", 2L, "bob", 1L, "", 2L));
  }

  @Test
  default void an_owner_limit_makes_the_claim_order_round_robin_between_owners() {
    limitStore().save(limit("fair").scope(Scope.OWNER).maxRunning(1000).build());
    List<Job> alice = insertN(50, s -> s.queue(QUEUE).owner("alice"));
    Job bob = insert(job().queue(QUEUE).owner("bob"));
    Job carol = insert(job().queue(QUEUE).owner("carol"));
    Job urgent = insert(job().queue(QUEUE).owner("alice").priority(10));

    assertThat(ids(claim(QUEUE, 3))).containsExactlyInAnyOrder(urgent.id(), bob.id(), carol.id());
    assertThat(ids(claim(QUEUE, 2)))
        .containsExactlyInAnyOrder(alice.get(0).id(), alice.get(1).id());
  }

  @Test
  default void a_rate_limit_counts_starts_in_a_sliding_window_of_the_store_clock() {
    limitStore().save(limit("two-a-minute").rate(2, Duration.ofMinutes(1)).build());
    insertN(5, s -> s.queue(QUEUE));

    List<Job> first = claim(QUEUE, 10);
    assertThat(first).hasSize(2);
    first.forEach(this::complete); // finishing does not give starts back
    assertThat(claim(QUEUE, 10)).isEmpty();
    assertThat(limitStore().usage("two-a-minute").orElseThrow().recentStarts())
        .isEqualTo(Map.of("", 2L));

    clock().advance(Duration.ofSeconds(30));
    assertThat(claim(QUEUE, 10)).isEmpty();
    clock().advance(Duration.ofMillis(29_999));
    assertThat(claim(QUEUE, 10)).isEmpty();
    clock().advance(Duration.ofMillis(1));
    assertThat(claim(QUEUE, 10)).hasSize(2);
    assertThat(claim(QUEUE, 10)).isEmpty();
  }

  @Test
  default void a_rate_limit_per_owner_has_a_budget_per_owner() {
    limitStore()
        .save(limit("owner-rate").scope(Scope.OWNER).rate(1, Duration.ofSeconds(10)).build());
    insertN(3, s -> s.queue(QUEUE).owner("alice"));
    insertN(3, s -> s.queue(QUEUE).owner("bob"));

    assertThat(claim(QUEUE, 10)).extracting(Job::owner).containsExactlyInAnyOrder("alice", "bob");
    assertThat(claim(QUEUE, 10)).isEmpty();
    clock().advance(Duration.ofSeconds(10));
    assertThat(claim(QUEUE, 10)).extracting(Job::owner).containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  default void a_job_past_its_start_deadline_does_not_take_a_rate_slot() {
    limitStore().save(limit("one-a-minute").rate(1, Duration.ofMinutes(1)).build());
    Job expired = insert(job().queue(QUEUE).startWithin(Duration.ofSeconds(10)));
    Job next = insert(job().queue(QUEUE));
    clock().advance(Duration.ofSeconds(10)); // the first job may no longer start

    assertThat(claim(QUEUE, 10)).extracting(Job::id).containsExactly(next.id());
    assertThat(get(expired.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(limitStore().usage("one-a-minute").orElseThrow().recentStarts())
        .isEqualTo(Map.of("", 1L));
  }

  @Test
  default void a_limit_deleted_and_saved_again_under_its_name_forgets_the_old_starts() {
    limitStore().save(limit("reused").rate(2, Duration.ofMinutes(1)).build());
    insertN(4, s -> s.queue(QUEUE));
    assertThat(claim(QUEUE, 10)).hasSize(2);

    assertThat(limitStore().delete("reused")).isTrue();
    limitStore().save(limit("reused").rate(2, Duration.ofMinutes(1)).build());

    assertThat(limitStore().usage("reused").orElseThrow().recentStarts()).isEmpty();
    assertThat(claim(QUEUE, 10)).hasSize(2);
  }

  @Test
  default void concurrency_and_rate_together_both_hold() {
    limitStore().save(limit("both").maxRunning(2).rate(3, Duration.ofSeconds(10)).build());
    insertN(10, s -> s.queue(QUEUE));

    List<Job> first = claim(QUEUE, 10);
    assertThat(first).hasSize(2);
    first.forEach(this::complete);
    assertThat(claim(QUEUE, 10)).hasSize(1); // the rate's third start
    assertThat(claim(QUEUE, 10)).isEmpty();
  }

  @Test
  default void deleting_a_limit_lets_the_waiting_jobs_start() {
    limitStore().save(limit("mutex").maxRunning(1).build());
    insertN(4, s -> s.queue(QUEUE));
    assertThat(claim(QUEUE, 10)).hasSize(1);

    limitStore().delete("mutex");

    assertThat(claim(QUEUE, 10)).hasSize(3);
  }

  @Test
  default void a_paused_queue_claims_nothing_under_a_limit_either() {
    limitStore().save(limit("mutex").maxRunning(1).build());
    insertN(2, s -> s.queue(QUEUE));
    store().queuePause(QUEUE);

    assertThat(claim(QUEUE, 10)).isEmpty();
    store().queueResume(QUEUE);
    assertThat(claim(QUEUE, 10)).hasSize(1);
  }

  @Test
  default void a_limited_claim_keeps_the_type_filter_and_caps_of_the_claimer() {
    limitStore().save(limit("roomy").maxRunning(100).build());
    insertN(3, s -> s.queue(QUEUE).type("a"));
    insertN(3, s -> s.queue(QUEUE).type("b"));
    insertN(3, s -> s.queue(QUEUE).type("c"));

    List<Job> claimed =
        store()
            .jobClaim(
                new JobClaimParams(QUEUE, 10, SERVER_A, LEASE, Set.of("a", "b"), Map.of("b", 1)));

    assertThat(claimed).extracting(Job::type).containsExactlyInAnyOrder("a", "a", "a", "b");
    assertThat(claimed).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.PROCESSING));
    assertThat(eventTypes(claimed.get(0).id())).endsWith("job.started");
  }

  @Test
  default void claimers_at_the_same_time_do_not_exceed_a_limit_together() throws Exception {
    limitStore().save(limit("five").maxRunning(5).build());
    insertN(60, s -> s.queue(QUEUE));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 3; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Job>>> calls = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          String owner = "server-" + t;
          calls.add(
              pool.submit(
                  () -> {
                    go.await();
                    return claim(QUEUE, 3, owner);
                  }));
        }
        go.countDown();
        List<Job> claimed = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<Job>> f : calls) claimed.addAll(f.get(30, TimeUnit.SECONDS));
        assertThat(claimed).as("claimed in round %d", round).hasSize(5);
        assertThat(Stream.of(claimed.toArray(Job[]::new)).map(Job::id).distinct()).hasSize(5);
        claimed.forEach(this::complete);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
