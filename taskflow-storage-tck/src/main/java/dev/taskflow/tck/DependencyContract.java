package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobRetentionParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Dependencies: a job with parents waits in {@code awaiting}; parents must exist or come in the
 * same insert; when every parent finished the job is released or cancelled per its policy, exactly
 * once, and cancels cascade.
 */
public interface DependencyContract extends TckSupport {

  private JobSpec child(ParentFailure policy, UUID... parents) {
    return job().flow(new JobFlow(List.of(parents), policy, null, null, null, null));
  }

  private int resolve() {
    return flowStore().jobResolveAwaiting(new AwaitingResolveParams(SERVER_B, 1000));
  }

  private void complete(Job claimed) {
    finish(new JobFinish.Completed(lease(claimed), "{}"));
  }

  private void fail(Job claimed) {
    finish(new JobFinish.Failed(lease(claimed), error(claimed.attempt(), "boom")));
  }

  @Test
  default void a_job_with_parents_enters_awaiting_with_its_event_and_history() {
    Job parent = insert(job());
    Job child = insert(child(ParentFailure.CANCEL, parent.id()));

    assertThat(child.state()).isEqualTo(JobState.AWAITING);
    assertThat(child.flow().dependsOn()).containsExactly(parent.id());
    assertThat(child.flow().onParentFailure()).isEqualTo(ParentFailure.CANCEL);
    assertThat(get(child.id()).flow()).isEqualTo(child.flow());
    assertThat(eventTypes(child.id())).containsExactly(JobEvent.AWAITING);
    assertThat(json(lastEvent(child.id()).dataJson()).path("dependsOn").get(0).asString())
        .isEqualTo(parent.id().toString());
    assertThat(child.history().getLast().state()).isEqualTo(JobState.AWAITING);
    assertThat(claim(QUEUE, 10)).extracting(Job::id).containsExactly(parent.id());
    assertThat(resolve()).as("the parent is not finished").isZero();
    assertThat(flowStore().jobDependents(parent.id(), 10)).containsExactly(child.id());
  }

  @Test
  default void an_unknown_parent_refuses_the_whole_insert_naming_the_field() {
    UUID missing = newId();
    JobSpec fine = job();
    long eventsBefore = store().eventLatestSeq();

    assertThatThrownBy(() -> insertMany(fine, child(ParentFailure.RUN, fine.id(), missing)))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo("jobs/1/dependsOn/1");
              assertThat(e.rule()).isEqualTo("unknown_parent");
              assertThat(e.getMessage()).contains(missing.toString());
            });
    assertThatThrownBy(() -> insert(child(ParentFailure.RUN, missing)))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("dependsOn/0"));

    assertThat(allJobs()).as("nothing written").isEmpty();
    assertThat(store().eventLatestSeq()).isEqualTo(eventsBefore);
  }

  @Test
  default void parents_in_the_same_insert_are_accepted() {
    JobSpec a = job();
    JobSpec b = child(ParentFailure.CANCEL, a.id());
    JobSpec c = child(ParentFailure.CANCEL, a.id(), b.id());
    insertMany(a, b, c);

    assertThat(get(a.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(get(b.id()).state()).isEqualTo(JobState.AWAITING);
    assertThat(get(c.id()).state()).isEqualTo(JobState.AWAITING);
  }

  @Test
  default void a_chain_is_released_link_by_link_when_parents_complete() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.CANCEL, a.id()));
    Job c = insert(child(ParentFailure.CANCEL, b.id()));

    complete(claimOne(SERVER_A));
    assertThat(resolve()).isEqualTo(1);
    Job released = get(b.id());
    assertThat(released.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(released.history().getLast().reason()).isEqualTo("parents_finished");
    assertThat(lastEvent(b.id()).type()).isEqualTo(JobEvent.ENQUEUED);
    assertThat(get(c.id()).state()).isEqualTo(JobState.AWAITING);
    assertThat(resolve()).as("nothing more to do").isZero();

    complete(claimOne(SERVER_A));
    assertThat(resolve()).isEqualTo(1);
    assertThat(get(c.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_child_with_a_later_run_at_is_released_to_scheduled() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.CANCEL, a.id()).delay(Duration.ofHours(1)));
    complete(claimOne(SERVER_A));

    assertThat(resolve()).isEqualTo(1);
    assertThat(get(b.id()).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(lastEvent(b.id()).type()).isEqualTo(JobEvent.SCHEDULED);
  }

  @Test
  default void a_child_waits_for_every_parent() {
    Job a = insert(job());
    Job b = insert(job());
    Job c = insert(child(ParentFailure.CANCEL, a.id(), b.id()));
    List<Job> both = claim(QUEUE, 2);
    complete(both.get(0));
    assertThat(resolve()).isZero();
    assertThat(get(c.id()).state()).isEqualTo(JobState.AWAITING);
    complete(both.get(1));
    assertThat(resolve()).isEqualTo(1);
    assertThat(get(c.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_failed_parent_cancels_a_cancel_child_and_the_cancel_cascades() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.CANCEL, a.id()));
    Job c = insert(child(ParentFailure.CANCEL, b.id()));
    Job d = insert(child(ParentFailure.RUN, c.id()));
    fail(claimOne(SERVER_A));

    int moved = 0;
    for (int n = resolve(); n > 0; n = resolve()) moved += n; // a store may cascade in one call
    assertThat(moved).isEqualTo(3);
    Job cancelled = get(b.id());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.finishedAt()).isEqualTo(clock().instant());
    assertThat(cancelled.history().getLast().reason()).isEqualTo("parent_failed");
    assertThat(json(lastEvent(b.id()).dataJson()).path("reason").asString())
        .isEqualTo("parent_failed");
    assertThat(get(c.id()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(get(d.id()).state())
        .as("run-anyway below a cancelled parent")
        .isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_run_child_runs_after_a_failed_or_cancelled_parent() {
    Job a = insert(job());
    Job b = insert(job().queue("other"));
    Job c = insert(child(ParentFailure.RUN, a.id(), b.id()));
    fail(claimOne(SERVER_A));
    change(b.id(), JobChangeStateParams.Action.CANCEL);

    assertThat(resolve()).isEqualTo(1);
    assertThat(get(c.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_wait_child_waits_for_a_manual_retry_of_its_failed_parent() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.WAIT, a.id()));
    fail(claimOne(SERVER_A));

    assertThat(resolve()).isZero();
    assertThat(get(b.id()).state()).isEqualTo(JobState.AWAITING);
    assertThat(
            store()
                .jobRetentionDelete(
                    new JobRetentionParams(
                        null, clock().instant().plusSeconds(1), null, null, 100)))
        .as("retention keeps a parent while a job awaits it")
        .isZero();

    change(a.id(), JobChangeStateParams.Action.RETRY);
    assertThat(resolve()).isZero();
    complete(claimOne(SERVER_A));
    assertThat(resolve()).isEqualTo(1);
    assertThat(get(b.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  default void a_wait_child_is_cancelled_when_its_parent_is_deleted_and_can_never_complete() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.WAIT, a.id()));
    change(a.id(), JobChangeStateParams.Action.DELETE);

    assertThat(resolve()).isEqualTo(1);
    Job cancelled = get(b.id());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.history().getLast().reason()).isEqualTo("parent_deleted");
  }

  @Test
  default void a_user_may_cancel_an_awaiting_job() {
    Job a = insert(job());
    Job b = insert(child(ParentFailure.WAIT, a.id()));
    assertThat(change(b.id(), JobChangeStateParams.Action.CANCEL).state())
        .isEqualTo(JobState.CANCELLED);
    complete(claimOne(SERVER_A));
    assertThat(resolve()).isZero();
  }

  @Test
  default void a_child_of_parents_already_finished_is_resolved_at_insert() {
    Job done = insert(job());
    complete(claimOne(SERVER_A));
    Job failed = insert(job());
    fail(claimOne(SERVER_A));

    Job runs = insert(child(ParentFailure.CANCEL, done.id()));
    Job cancelled = insert(child(ParentFailure.CANCEL, done.id(), failed.id()));

    assertThat(get(runs.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(eventTypes(runs.id())).containsExactly(JobEvent.AWAITING, JobEvent.ENQUEUED);
    assertThat(get(cancelled.id()).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  default void a_duplicate_parent_in_the_same_insert_stands_for_the_job_holding_its_key() {
    Job holder = insert(job().uniqueKey("k"));
    JobSpec dup = job().uniqueKey("k");
    JobSpec c = child(ParentFailure.CANCEL, dup.id());
    insertMany(dup, c);
    complete(claimOne(SERVER_A));

    assertThat(resolve()).isEqualTo(1);
    assertThat(get(c.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(flowStore().jobDependents(holder.id(), 10)).containsExactly(c.id());
  }

  @Test
  default void resolving_keeps_counters_exact() {
    Job a = insert(job());
    insert(child(ParentFailure.CANCEL, a.id()));
    insert(child(ParentFailure.RUN, a.id()));
    fail(claimOne(SERVER_A));
    resolve();
    Map<JobState, Long> counts = normalized(counts());
    assertThat(counts).isEqualTo(normalized(countsByScan()));
    assertThat(counts.get(JobState.AWAITING)).isZero();
  }
}
