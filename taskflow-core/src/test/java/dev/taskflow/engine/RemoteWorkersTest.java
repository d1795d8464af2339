package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobProgress;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.LeaseLostException;
import dev.taskflow.RemoteWorkers;
import dev.taskflow.RemoteWorkers.LeaseRequest;
import dev.taskflow.RemoteWorkers.LeasedJob;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Jobs leased to workers in other processes: the same leases, fencing and rescue as local ones. */
class RemoteWorkersTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final TaskFlow taskflow =
      TaskFlow.builder().storage(storage).clock(clock).acceptTypes("py.embed").build();
  private final RemoteWorkers remote = taskflow.remoteWorkers();

  @AfterEach
  void close() {
    taskflow.close();
  }

  private static LeaseRequest request(String worker, int max) {
    return new LeaseRequest(
        worker, List.of("default"), Set.of("py.embed"), max, Duration.ofSeconds(30), Duration.ZERO);
  }

  private Job enqueue() {
    return taskflow
        .enqueue(
            new JobRequest(
                "py.embed", "{\"text\":\"hi\"}", EnqueueOptions.defaults().maxAttempts(3)))
        .job();
  }

  @Test
  void a_leased_job_is_completed_with_the_workers_result() throws Exception {
    Job job = enqueue();

    List<LeasedJob> leased = remote.lease(request("py-1", 5));
    assertThat(leased)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.job().id()).isEqualTo(job.id());
              assertThat(l.job().attempt()).isEqualTo(1);
              assertThat(l.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(30));
            });
    LeasedJob l = leased.get(0);
    remote.heartbeat(
        job.id(), l.leaseToken(), Duration.ofSeconds(60), JobProgress.of(50, "halfway"));
    Job done = remote.complete(job.id(), l.leaseToken(), "{\"vector\":[1,2]}");

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.resultJson()).isEqualTo("{\"vector\":[1,2]}");
    assertThat(done.progress().message()).isEqualTo("halfway");
    assertThat(taskflow.cluster().servers()).extracting(s -> s.id()).contains("remote:py-1");
  }

  @Test
  void a_worker_asking_for_any_type_never_leases_taskflows_own_jobs() throws Exception {
    try (TaskFlow tf =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .acceptTypes("py.embed", "taskflow.own")
            .build()) {
      Job own =
          tf.enqueue(new JobRequest("taskflow.own", "{}", EnqueueOptions.defaults().priority(50)))
              .job();
      Job user = tf.enqueue(new JobRequest("py.embed", "{}", EnqueueOptions.defaults())).job();

      List<LeasedJob> leased =
          tf.remoteWorkers()
              .lease(
                  new LeaseRequest(
                      "any",
                      List.of("default"),
                      Set.of(),
                      10,
                      Duration.ofSeconds(30),
                      Duration.ZERO));

      assertThat(leased).extracting(l -> l.job().id()).containsExactly(user.id());
      assertThat(tf.get(own.id()).orElseThrow().state()).isEqualTo(JobState.ENQUEUED);
      assertThatThrownBy(
              () ->
                  tf.remoteWorkers()
                      .lease(
                          new LeaseRequest(
                              "any",
                              List.of("default"),
                              Set.of("taskflow.own"),
                              1,
                              Duration.ofSeconds(30),
                              Duration.ZERO)))
          .isInstanceOf(InvalidJobException.class)
          .hasMessageContaining("taskflow.own");
    }
  }

  @Test
  void a_worker_reporting_to_another_node_keeps_the_servers_entry_its_lease_call_wrote()
      throws Exception {
    Job job = enqueue();
    Instant leasedAt = clock.instant();
    LeasedJob l = remote.lease(request("py-2", 7)).getFirst();
    try (TaskFlow other =
        TaskFlow.builder().storage(storage).clock(clock).acceptTypes("py.embed").build()) {
      // Past any refresh interval, so the other node writes the entry on the worker's behalf.
      clock.advance(Duration.ofSeconds(20));
      other
          .remoteWorkers()
          .heartbeat(job.id(), l.leaseToken(), Duration.ofSeconds(60), JobProgress.of(10, "a"));

      assertThat(other.cluster().servers())
          .filteredOn(s -> s.id().equals("remote:py-2"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.queues()).isEqualTo(Map.of("default", 7));
                assertThat(s.startedAt()).isEqualTo(leasedAt);
                assertThat(s.lastHeartbeatAt()).isEqualTo(clock.instant());
              });
    }
  }

  @Test
  void a_worker_that_lost_its_lease_gets_lease_lost_while_the_new_holder_completes()
      throws Exception {
    Job job = enqueue();
    LeasedJob stale = remote.lease(request("slow", 1)).get(0);

    clock.advance(Duration.ofSeconds(31)); // the slow worker missed its heartbeats
    storage.jobRescueExpired(new JobRescueParams("rescuer", 10));
    LeasedJob fresh = remote.lease(request("fast", 1)).get(0);
    assertThat(fresh.job().attempt()).isEqualTo(2);

    LeaseLostException e =
        catchThrowableOfType(
            LeaseLostException.class,
            () -> remote.complete(job.id(), stale.leaseToken(), "{\"from\":\"stale\"}"));
    assertThat(e.getMessage())
        .contains(job.id().toString())
        .contains("another worker holds attempt 2");
    assertThatThrownBy(() -> remote.heartbeat(job.id(), stale.leaseToken(), null, null))
        .isInstanceOf(LeaseLostException.class);

    Job done = remote.complete(job.id(), fresh.leaseToken(), "{\"from\":\"fresh\"}");
    assertThat(done.resultJson()).isEqualTo("{\"from\":\"fresh\"}");
    assertThat(taskflow.events(job.id(), null, 100))
        .filteredOn(ev -> ev.type().equals("job.completed"))
        .hasSize(1);
  }

  @Test
  void a_retryable_failure_schedules_a_retry_and_a_final_one_fails_the_job() throws Exception {
    Job job = enqueue();
    LeasedJob first = remote.lease(request("py", 1)).get(0);
    assertThat(
            remote
                .fail(
                    job.id(), first.leaseToken(), "TimeoutError", "model busy", "Traceback…", true)
                .state())
        .isEqualTo(JobState.SCHEDULED);

    clock.advance(Duration.ofMinutes(5));
    taskflow.runDueJobs(); // promotes it; no local worker runs py.embed
    LeasedJob second = remote.lease(request("py", 1)).get(0);
    Job failed = remote.fail(job.id(), second.leaseToken(), "ValueError", "bad input", null, false);

    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.errors())
        .extracting(e -> e.type())
        .containsExactly("TimeoutError", "ValueError");
  }

  @Test
  void a_long_poll_returns_as_soon_as_a_job_is_enqueued() {
    CompletableFuture<List<LeasedJob>> polling =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return remote.lease(
                    new LeaseRequest(
                        "waiter",
                        List.of("default"),
                        Set.of(),
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Job job = enqueue();

    await().atMost(5, TimeUnit.SECONDS).until(polling::isDone);
    assertThat(polling.join()).extracting(l -> l.job().id()).containsExactly(job.id());
  }

  @Test
  void a_forged_or_garbled_token_is_refused_by_name() throws Exception {
    Job job = enqueue();
    remote.lease(request("py", 1));
    InvalidJobException e =
        catchThrowableOfType(
            InvalidJobException.class, () -> remote.complete(job.id(), "not-a-token", null));
    assertThat(e.field()).isEqualTo("leaseToken");
  }

  static Stream<Arguments> badLeaseRequests() {
    Duration ok = Duration.ofSeconds(30);
    return Stream.of(
        Arguments.of(
            new LeaseRequest("", List.of("default"), Set.of(), 1, ok, Duration.ZERO), "workerId"),
        Arguments.of(
            new LeaseRequest("w w", List.of("default"), Set.of(), 1, ok, Duration.ZERO),
            "workerId"),
        Arguments.of(new LeaseRequest("w", List.of(), Set.of(), 1, ok, Duration.ZERO), "queues"),
        Arguments.of(
            new LeaseRequest("w", List.of("bad/queue"), Set.of(), 1, ok, Duration.ZERO),
            "queues/0"),
        Arguments.of(
            new LeaseRequest("w", List.of("default"), Set.of(), 0, ok, Duration.ZERO), "max"),
        Arguments.of(
            new LeaseRequest("w", List.of("default"), Set.of(), 101, ok, Duration.ZERO), "max"),
        Arguments.of(
            new LeaseRequest(
                "w", List.of("default"), Set.of(), 1, Duration.ofSeconds(1), Duration.ZERO),
            "leaseSeconds"),
        Arguments.of(
            new LeaseRequest("w", List.of("default"), Set.of(), 1, ok, Duration.ofMinutes(5)),
            "wait"));
  }

  @ParameterizedTest
  @MethodSource("badLeaseRequests")
  void a_bad_lease_request_names_its_field_and_leases_nothing(LeaseRequest bad, String field) {
    Job job = enqueue();
    InvalidJobException e =
        catchThrowableOfType(InvalidJobException.class, () -> remote.lease(bad));
    assertThat(e.field()).isEqualTo(field);
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.ENQUEUED);
  }
}
