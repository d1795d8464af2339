package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dependencies and batches driven by the engine on a manual clock. */
class DependencyEngineTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final List<Map<?, ?>> callbacks = new CopyOnWriteArrayList<>();
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(new InMemoryStorage(clock))
          .clock(clock)
          .worker(
              "step.run",
              Map.class,
              (args, ctx) -> {
                ran.add((String) args.get("name"));
                if (Boolean.TRUE.equals(args.get("fail"))) {
                  throw new IllegalStateException("step " + args.get("name") + " failed");
                }
                return null;
              })
          .worker(
              "batch.done",
              Map.class,
              (args, ctx) -> {
                callbacks.add(args);
                return null;
              })
          .build();

  @AfterEach
  void close() {
    taskflow.close();
  }

  private static JobRequest step(String name, EnqueueOptions options) {
    return new JobRequest("step.run", "{\"name\":\"" + name + "\"}", options.maxAttempts(1));
  }

  private static JobRequest failing(String name) {
    return new JobRequest(
        "step.run",
        "{\"name\":\"" + name + "\",\"fail\":true}",
        EnqueueOptions.defaults().maxAttempts(1));
  }

  private UUID enqueue(String name, UUID... parents) {
    return enqueue(name, null, parents);
  }

  private UUID enqueue(String name, ParentFailure policy, UUID... parents) {
    EnqueueOptions o = EnqueueOptions.defaults();
    if (parents.length > 0) o = o.dependsOn(parents);
    if (policy != null) o = o.onParentFailure(policy);
    return taskflow.enqueue(step(name, o)).job().id();
  }

  private JobState state(UUID id) {
    return taskflow.get(id).orElseThrow().state();
  }

  @Test
  void a_chain_runs_in_order() {
    UUID a = enqueue("a");
    UUID b = enqueue("b", a);
    UUID c = enqueue("c", b);
    assertThat(state(b)).isEqualTo(JobState.AWAITING);

    taskflow.runDueJobs();

    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(state(c)).isEqualTo(JobState.COMPLETED);
    assertThat(taskflow.events(b, null, 100))
        .extracting(JobEvent::type)
        .startsWith(JobEvent.AWAITING, JobEvent.ENQUEUED, JobEvent.STARTED);
  }

  @Test
  void a_diamond_runs_its_join_once_after_both_branches() {
    UUID a = enqueue("a");
    UUID b = enqueue("b", a);
    UUID c = enqueue("c", a);
    UUID d = enqueue("d", b, c);

    taskflow.runDueJobs();

    assertThat(ran).hasSize(4).startsWith("a").endsWith("d");
    assertThat(ran).filteredOn("d"::equals).hasSize(1);
    assertThat(state(d)).isEqualTo(JobState.COMPLETED);
    assertThat(taskflow.batches().dependents(a, 10)).containsExactlyInAnyOrder(b, c);
  }

  @Test
  void a_failed_parent_cancels_runs_or_holds_its_children_per_policy() {
    UUID parent = taskflow.enqueue(failing("p")).job().id();
    UUID cancel = enqueue("cancel", parent);
    UUID grandchild = enqueue("grandchild", cancel);
    UUID run = enqueue("run", ParentFailure.RUN, parent);
    UUID hold = enqueue("hold", ParentFailure.WAIT, parent);

    taskflow.runDueJobs();

    assertThat(state(parent)).isEqualTo(JobState.FAILED);
    assertThat(state(cancel)).isEqualTo(JobState.CANCELLED);
    assertThat(taskflow.get(cancel).orElseThrow().history().getLast().reason())
        .isEqualTo("parent_failed");
    assertThat(state(grandchild)).as("the cancel cascades").isEqualTo(JobState.CANCELLED);
    assertThat(state(run)).isEqualTo(JobState.COMPLETED);
    assertThat(state(hold)).isEqualTo(JobState.AWAITING);
    assertThat(ran).containsExactly("p", "run");
  }

  @Test
  void a_waiting_child_stays_awaiting_through_failed_retries_until_a_person_cancels_it() {
    UUID parent = taskflow.enqueue(failing("p")).job().id();
    UUID hold = enqueue("hold", ParentFailure.WAIT, parent);
    taskflow.runDueJobs();
    assertThat(state(hold)).isEqualTo(JobState.AWAITING);

    taskflow.retry(parent);
    ran.clear();
    taskflow.runDueJobs();
    assertThat(ran).containsExactly("p");
    assertThat(state(hold))
        .as("the parent failed again: still waiting for a person")
        .isEqualTo(JobState.AWAITING);

    taskflow.cancel(hold);
    assertThat(state(hold)).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void a_child_with_a_delay_is_scheduled_after_its_parent_and_runs_when_due() {
    UUID a = enqueue("a");
    UUID b =
        taskflow
            .enqueue(step("b", EnqueueOptions.defaults().dependsOn(a).delay(Duration.ofMinutes(5))))
            .job()
            .id();
    taskflow.runDueJobs();
    assertThat(state(b)).isEqualTo(JobState.SCHEDULED);
    clock.advance(Duration.ofMinutes(5));
    taskflow.runDueJobs();
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void an_unknown_parent_is_refused_naming_the_field() {
    UUID missing = UUID.randomUUID();
    assertThatThrownBy(() -> enqueue("x", missing))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo("dependsOn/0");
              assertThat(e.rule()).isEqualTo("unknown_parent");
            });
    assertThatThrownBy(
            () ->
                taskflow.enqueueAll(
                    List.of(step("x", EnqueueOptions.defaults().dependsOn(missing)))))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("jobs/0/dependsOn/0"));
    assertThat(taskflow.cluster().stateCounts().values().stream().mapToLong(Long::longValue).sum())
        .isZero();
  }

  @Test
  void a_batch_completes_with_its_event_and_runs_its_callback_once() {
    BatchResult r =
        taskflow
            .batches()
            .enqueue(
                BatchOptions.defaults()
                    .description("three steps")
                    .callback(JobRequest.of("batch.done", "{\"note\":\"hi\"}")),
                List.of(
                    step("one", EnqueueOptions.defaults()),
                    step("two", EnqueueOptions.defaults()),
                    step(
                        "merge",
                        EnqueueOptions.defaults()
                            .dependsOn(Batches.member(0), Batches.member(1)))));
    assertThat(r.jobs()).hasSize(3);
    BatchInfo open = taskflow.batches().get(r.batchId()).orElseThrow();
    assertThat(open.state()).isEqualTo("open");
    assertThat(open.total()).isEqualTo(3);
    assertThat(open.count(JobState.ENQUEUED)).isEqualTo(2);
    assertThat(open.count(JobState.AWAITING)).isEqualTo(1);
    assertThat(r.jobs().get(2).job().flow().dependsOn())
        .containsExactly(r.jobs().get(0).job().id(), r.jobs().get(1).job().id());

    taskflow.runDueJobs();

    assertThat(ran).endsWith("merge");
    BatchInfo done = taskflow.batches().get(r.batchId()).orElseThrow();
    assertThat(done.state()).isEqualTo("completed");
    assertThat(done.count(JobState.COMPLETED)).isEqualTo(3);
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.description()).isEqualTo("three steps");
    assertThat(callbacks).hasSize(1);
    Map<?, ?> batch = (Map<?, ?>) callbacks.getFirst().get("batch");
    assertThat(batch.get("id")).isEqualTo(r.batchId().toString());
    assertThat(batch.get("state")).isEqualTo("completed");
    assertThat(callbacks.getFirst().get("note")).isEqualTo("hi");
    assertThat(taskflow.events(r.callbackJobId(), null, 100))
        .extracting(JobEvent::type)
        .contains(JobEvent.BATCH_COMPLETED);

    taskflow.runDueJobs();
    assertThat(callbacks).as("exactly once").hasSize(1);
  }

  @Test
  void a_batch_with_a_failed_member_fails_and_still_calls_back() {
    BatchResult r =
        taskflow
            .batches()
            .enqueue(
                BatchOptions.defaults().callback(JobRequest.of("batch.done", "{}")),
                List.of(step("ok", EnqueueOptions.defaults()), failing("bad")));
    taskflow.runDueJobs();

    BatchInfo info = taskflow.batches().get(r.batchId()).orElseThrow();
    assertThat(info.state()).isEqualTo("failed");
    assertThat(info.count(JobState.FAILED)).isEqualTo(1);
    assertThat(callbacks).hasSize(1);
    assertThat(((Map<?, ?>) callbacks.getFirst().get("batch")).get("state")).isEqualTo("failed");
    assertThat(taskflow.events(r.callbackJobId(), null, 100))
        .extracting(JobEvent::type)
        .contains(JobEvent.BATCH_FAILED);
  }

  @Test
  void batch_options_and_member_references_are_checked() {
    JobRequest ok = step("x", EnqueueOptions.defaults());
    BatchOptions defaults = BatchOptions.defaults();
    refused(defaults, List.of(), "min_items");
    refused(
        defaults,
        List.of(ok, step("y", EnqueueOptions.defaults().dependsOn(Batches.member(1)))),
        "jobs/1/dependsOn/0",
        "member_order");
    refused(
        defaults,
        List.of(ok, step("y", EnqueueOptions.defaults().dependsOn(Batches.member(5)))),
        "unknown_member");
    refused(
        defaults.callback(JobRequest.of("nope.type", "{}")),
        List.of(ok),
        "callback/type",
        "unknown_type");
    refused(defaults.metadata("[1]"), List.of(ok), "metadata", "type");
    refused(
        defaults,
        List.of(step("y", EnqueueOptions.defaults().dependsOn(UUID.randomUUID()))),
        "jobs/0/dependsOn/0",
        "unknown_parent");
    assertThat(taskflow.cluster().stateCounts().values().stream().mapToLong(Long::longValue).sum())
        .isZero();
  }

  /** Enqueueing the batch is refused, breaking {@code rule}. */
  private void refused(BatchOptions options, List<JobRequest> jobs, String rule) {
    assertThatThrownBy(() -> taskflow.batches().enqueue(options, jobs))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }

  /** Enqueueing the batch is refused, breaking {@code rule} at {@code field}. */
  private void refused(BatchOptions options, List<JobRequest> jobs, String field, String rule) {
    assertThatThrownBy(() -> taskflow.batches().enqueue(options, jobs))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.rule()).isEqualTo(rule);
            });
  }
}
