package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.QueueFullException;
import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.BatchInsertParams;
import dev.taskflow.spi.BatchRecord;
import dev.taskflow.spi.BatchResolveParams;
import dev.taskflow.spi.BatchSpec;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Batches: members and the batch row in one transaction, counts per state, and exactly one finish
 * (state, event, callback job) once every member finished, even with concurrent resolvers.
 */
public interface BatchContract extends TckSupport {

  private List<InsertOutcome> insertBatch(UUID batchId, NewJob callback, JobSpec... members) {
    List<NewJob> jobs = new ArrayList<>();
    for (JobSpec s : members) jobs.add(s.toNewJob());
    String spec = new BatchSpec("nightly import", "{\"file\":\"a.csv\"}", callback).toJson();
    return flowStore().batchInsert(new BatchInsertParams(batchId, spec, jobs, SERVER_A));
  }

  private BatchRecord batch(UUID id) {
    return flowStore().batchGet(id).orElseThrow(() -> new AssertionError("no batch " + id));
  }

  private int resolveBatches() {
    return flowStore().batchResolveFinished(new BatchResolveParams(SERVER_B, 100));
  }

  private void completeAll() {
    for (Job j : claim(QUEUE, 100)) finish(new JobFinish.Completed(lease(j), "{}"));
  }

  private NewJob callback() {
    return job().type("tck.report").queue("callbacks").args("{\"to\":\"ops\"}").toNewJob();
  }

  @Test
  default void a_batch_inserts_its_members_with_the_batch_id_and_counts_them() {
    UUID id = newId();
    List<InsertOutcome> out = insertBatch(id, null, job(), job(), job().queue("other"));

    assertThat(out).hasSize(3).noneMatch(InsertOutcome::duplicate);
    assertThat(out).allSatisfy(o -> assertThat(o.job().flow().batchId()).isEqualTo(id));
    assertThat(get(out.get(0).job().id()).flow().batchId()).isEqualTo(id);
    BatchRecord b = batch(id);
    assertThat(b.state()).isEqualTo(BatchRecord.OPEN);
    assertThat(b.total()).isEqualTo(3);
    assertThat(b.counts().get(JobState.ENQUEUED)).isEqualTo(3);
    assertThat(b.createdAt()).isEqualTo(clock().instant());
    assertThat(b.finishedAt()).isNull();
    assertThat(BatchSpec.fromJson(b.specJson()).description()).isEqualTo("nightly import");
    assertThat(flowStore().batchGet(newId())).isEmpty();
  }

  @Test
  default void a_batch_with_an_unknown_parent_writes_nothing() {
    UUID id = newId();
    JobSpec bad =
        job().flow(new JobFlow(List.of(newId()), ParentFailure.RUN, null, null, null, null));
    assertThatThrownBy(() -> insertBatch(id, null, job(), bad))
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.field()).isEqualTo("jobs/1/dependsOn/0");
              assertThat(e.rule()).isEqualTo("unknown_parent");
            });
    assertThat(flowStore().batchGet(id)).isEmpty();
    assertThat(allJobs()).isEmpty();
  }

  @Test
  default void members_may_depend_on_each_other() {
    UUID id = newId();
    JobSpec a = job();
    JobSpec b =
        job().flow(new JobFlow(List.of(a.id()), ParentFailure.CANCEL, null, null, null, null));
    insertBatch(id, null, a, b);
    assertThat(batch(id).counts().get(JobState.AWAITING)).isEqualTo(1);

    completeAll();
    flowStore().jobResolveAwaiting(new AwaitingResolveParams(SERVER_B, 100));
    assertThat(resolveBatches()).as("b has not run").isZero();
    completeAll();
    assertThat(resolveBatches()).isEqualTo(1);
    assertThat(batch(id).state()).isEqualTo(BatchRecord.COMPLETED);
  }

  @Test
  default void a_batch_whose_members_all_completed_completes_once_with_its_callback() {
    UUID id = newId();
    NewJob cb = callback();
    insertBatch(id, cb, job(), job());
    completeAll();
    clock().advance(java.time.Duration.ofSeconds(5));

    assertThat(resolveBatches()).isEqualTo(1);
    assertThat(resolveBatches()).as("exactly once").isZero();

    BatchRecord b = batch(id);
    assertThat(b.state()).isEqualTo(BatchRecord.COMPLETED);
    assertThat(b.finishedAt()).isEqualTo(clock().instant());
    Job callback = get(cb.id());
    assertThat(callback.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(callback.queue()).isEqualTo("callbacks");
    JsonNode args = json(callback.argsJson());
    assertThat(args.path("to").asString()).isEqualTo("ops");
    assertThat(args.path("batch").path("id").asString()).isEqualTo(id.toString());
    assertThat(args.path("batch").path("state").asString()).isEqualTo("completed");
    assertThat(args.path("batch").path("total").asInt()).isEqualTo(2);
    assertThat(args.path("batch").path("counts").path("completed").asInt()).isEqualTo(2);
    assertThat(eventTypes(cb.id())).containsExactly(JobEvent.ENQUEUED, JobEvent.BATCH_COMPLETED);
    JsonNode data = json(lastEvent(cb.id()).dataJson());
    assertThat(data.path("batchId").asString()).isEqualTo(id.toString());
    assertThat(data.path("counts").path("completed").asInt()).isEqualTo(2);
    assertThat(data.path("callbackJobId").asString()).isEqualTo(cb.id().toString());
  }

  @Test
  default void a_batch_with_a_failed_member_fails_and_its_event_goes_to_the_last_member() {
    UUID id = newId();
    List<InsertOutcome> out = insertBatch(id, null, job(), job());
    Job first = claimOne(SERVER_A);
    finish(new JobFinish.Completed(lease(first), "{}"));
    assertThat(resolveBatches()).isZero();
    clock().advance(java.time.Duration.ofSeconds(1));
    Job second = claimOne(SERVER_A);
    finish(new JobFinish.Failed(lease(second), error(1, "boom")));

    assertThat(resolveBatches()).isEqualTo(1);
    BatchRecord b = batch(id);
    assertThat(b.state()).isEqualTo(BatchRecord.FAILED);
    assertThat(b.counts().get(JobState.COMPLETED)).isEqualTo(1);
    assertThat(b.counts().get(JobState.FAILED)).isEqualTo(1);
    assertThat(lastEvent(second.id()).type()).isEqualTo(JobEvent.BATCH_FAILED);
    assertThat(out).hasSize(2);
  }

  @Test
  default void a_batch_waits_for_members_awaiting_a_manual_retry() {
    UUID id = newId();
    JobSpec a = job();
    JobSpec b =
        job().flow(new JobFlow(List.of(a.id()), ParentFailure.WAIT, null, null, null, null));
    insertBatch(id, null, a, b);
    Job claimed = claimOne(SERVER_A);
    finish(new JobFinish.Failed(lease(claimed), error(1, "boom")));
    flowStore().jobResolveAwaiting(new AwaitingResolveParams(SERVER_B, 100));
    assertThat(resolveBatches()).isZero();

    change(b.id(), JobChangeStateParams.Action.CANCEL);
    assertThat(resolveBatches()).isEqualTo(1);
    assertThat(batch(id).state()).isEqualTo(BatchRecord.FAILED);
  }

  @Test
  default void a_callback_into_a_full_queue_is_stored_past_its_bound_and_holds_up_no_batch() {
    store().queueSetMaxDepth("full", 1);
    insert(job().queue("full")); // the queue is at its bound
    UUID intoFull = newId();
    UUID intoOpen = newId();
    NewJob fullCallback = job().type("tck.report").queue("full").toNewJob();
    NewJob openCallback = callback();
    insertBatch(intoFull, fullCallback, job());
    insertBatch(intoOpen, openCallback, job());
    completeAll();

    assertThat(resolveBatches()).as("both batches finish in one sweep").isEqualTo(2);

    assertThat(batch(intoFull).state()).isEqualTo(BatchRecord.COMPLETED);
    assertThat(batch(intoOpen).state()).isEqualTo(BatchRecord.COMPLETED);
    assertThat(get(fullCallback.id()).state()).isEqualTo(JobState.ENQUEUED);
    assertThat(get(openCallback.id()).state()).isEqualTo(JobState.ENQUEUED);
    QueueStats full =
        store().queueStats().stream().filter(q -> q.queue().equals("full")).findFirst().get();
    assertThat(full.depth()).as("past its bound by the callback").isEqualTo(2);
    assertThatThrownBy(() -> insert(job().queue("full")))
        .as("a plain enqueue is still refused")
        .isInstanceOf(QueueFullException.class);
  }

  @Test
  default void retention_keeps_the_members_of_an_open_batch_so_a_failed_member_fails_it() {
    UUID id = newId();
    insertBatch(id, null, job(), job());
    Job failed = claimOne(SERVER_A);
    finish(new JobFinish.Failed(lease(failed), error(1, "boom")));
    Instant cutoff = clock().advance(Duration.ofDays(1));

    assertThat(
            store().jobRetentionDelete(new JobRetentionParams(cutoff, cutoff, cutoff, cutoff, 100)))
        .as("the batch is open")
        .isZero();
    Job completed = claimOne(SERVER_A);
    finish(new JobFinish.Completed(lease(completed), "{}"));
    assertThat(resolveBatches()).isEqualTo(1);

    BatchRecord b = batch(id);
    assertThat(b.state()).isEqualTo(BatchRecord.FAILED);
    assertThat(b.counts().get(JobState.FAILED)).isEqualTo(1);
    assertThat(get(failed.id()).state()).isEqualTo(JobState.FAILED);
    Instant later = clock().advance(Duration.ofDays(1));
    assertThat(store().jobRetentionDelete(new JobRetentionParams(later, later, later, later, 100)))
        .as("a finished batch keeps no member")
        .isEqualTo(2);
  }

  @Test
  default void two_concurrent_resolvers_finish_a_batch_exactly_once() throws Exception {
    for (int round = 0; round < 5; round++) {
      UUID id = newId();
      NewJob cb = callback();
      insertBatch(id, cb, job(), job(), job());
      completeAll();
      CountDownLatch start = new CountDownLatch(1);
      Callable<Integer> resolver =
          () -> {
            start.await();
            return flowStore().batchResolveFinished(new BatchResolveParams(SERVER_A, 100));
          };
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> one = pool.submit(resolver);
        Future<Integer> two = pool.submit(resolver);
        start.countDown();
        assertThat(one.get() + two.get()).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(batch(id).state()).isEqualTo(BatchRecord.COMPLETED);
      assertThat(eventTypes(cb.id()))
          .filteredOn(t -> t.startsWith("batch."))
          .containsExactly(JobEvent.BATCH_COMPLETED);
      assertThat(allJobs()).filteredOn(j -> j.type().equals("tck.report")).hasSize(round + 1);
      for (Job j : claim("callbacks", 10)) finish(new JobFinish.Completed(lease(j), "{}"));
    }
  }
}
