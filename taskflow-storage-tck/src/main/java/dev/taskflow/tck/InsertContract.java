package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.spi.InsertOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an insert stores: every field, as given, and the job's first state. */
public interface InsertContract extends TckSupport {

  // dependsOn and onParentFailure are a feature's: see DependencyContract.
  @Test
  default void a_job_keeps_its_flow_settings_with_relative_times_resolved_on_the_store_clock() {
    Instant now = clock().advance(Duration.ofMillis(777));
    Job parent = insert(job());
    UUID batch = UUID.randomUUID();
    JobSpec spec =
        job()
            .uniqueKey("flow-17")
            .flow(new JobFlow(List.of(), null, batch, "tenant-9:model", null, null))
            .uniqueFor(Duration.ofMinutes(10))
            .startWithin(Duration.ofSeconds(30));

    Job inserted = insert(spec);
    Job stored = get(spec.id());

    JobFlow flow = stored.flow();
    assertThat(flow.dependsOn()).isEmpty();
    assertThat(flow.batchId()).isEqualTo(batch);
    assertThat(flow.concurrencyKey()).isEqualTo("tenant-9:model");
    assertThat(flow.uniqueUntil()).isEqualTo(now.plus(Duration.ofMinutes(10)));
    assertThat(flow.startBy()).isEqualTo(now.plusSeconds(30));
    assertThat(inserted.flow()).isEqualTo(flow);
    assertThat(get(parent.id()).flow()).as("a job without settings").isEqualTo(JobFlow.NONE);
  }

  @Test
  default void an_absolute_start_deadline_wins_over_a_relative_one() {
    Instant now = clock().advance(Duration.ofMillis(5));
    Instant deadline = now.plus(Duration.ofHours(2));
    Job stored =
        insert(
            job()
                .flow(new JobFlow(List.of(), null, null, null, null, deadline))
                .startWithin(Duration.ofSeconds(1)));

    assertThat(get(stored.id()).flow().startBy()).isEqualTo(deadline);
  }

  @Test
  default void a_job_keeps_every_field_it_was_inserted_with() {
    Instant now = clock().advance(Duration.ofMillis(1234));
    JobSpec spec =
        job()
            .type("embedding.generate")
            .queue("embeddings")
            .priority(-42)
            .args("{\"text\":\"héllo \\u2603\",\"n\":[1,2,{\"deep\":true}],\"nil\":null}")
            .maxAttempts(7)
            .timeout(Duration.ofSeconds(90))
            .uniqueKey("doc-17")
            .owner("tenant-3")
            .tags("zeta", "alpha", "with space");

    Job inserted = insert(spec);
    Job stored = get(spec.id());

    // args are JSON: a store with a JSON column type (PostgreSQL's jsonb) may render them with
    // other spacing or key order, so they are compared as JSON, every other field exactly.
    assertThat(stored).usingRecursiveComparison().ignoringFields("argsJson").isEqualTo(inserted);
    assertThat(json(stored.argsJson())).isEqualTo(json(inserted.argsJson()));
    assertThat(stored.id()).isEqualTo(spec.id());
    assertThat(stored.type()).isEqualTo("embedding.generate");
    assertThat(stored.queue()).isEqualTo("embeddings");
    assertThat(stored.priority()).isEqualTo(-42);
    assertThat(json(stored.argsJson())).isEqualTo(json(spec.toNewJob().argsJson()));
    assertThat(stored.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(stored.attempt()).isZero();
    assertThat(stored.maxAttempts()).isEqualTo(7);
    assertThat(stored.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(stored.uniqueKey()).isEqualTo("doc-17");
    assertThat(stored.owner()).isEqualTo("tenant-3");
    assertThat(stored.tags())
        .as("tags keep their order")
        .containsExactly("zeta", "alpha", "with space");
    assertThat(stored.createdAt()).isEqualTo(now);
    assertThat(stored.scheduledAt()).isEqualTo(now);
    assertThat(stored.startedAt()).isNull();
    assertThat(stored.finishedAt()).isNull();
    assertThat(stored.progress()).isNull();
    assertThat(stored.resultJson()).isNull();
    assertThat(stored.errors()).isEmpty();
    assertThat(stored.leaseOwner()).isNull();
    assertThat(stored.leaseExpiresAt()).isNull();
    assertThat(stored.history()).hasSize(1);
    HistoryEntry first = stored.history().get(0);
    assertThat(first.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(first.at()).isEqualTo(now);
  }

  @Test
  default void optional_fields_may_be_absent() {
    Job stored = get(insert(job()).id());

    assertThat(stored.timeout()).isNull();
    assertThat(stored.uniqueKey()).isNull();
    assertThat(stored.owner()).isNull();
    assertThat(stored.tags()).isEmpty();
  }

  @Test
  default void an_unknown_id_is_absent() {
    assertThat(store().jobGet(newId())).isEmpty();
  }

  @Test
  default void insert_many_returns_outcomes_in_request_order() {
    JobSpec a = job().type("t.a");
    JobSpec b = job().type("t.b").delay(Duration.ofMinutes(1));
    JobSpec c = job().type("t.c");

    List<InsertOutcome> outcomes = insertMany(a, b, c);

    assertThat(outcomes).extracting(o -> o.job().id()).containsExactly(a.id(), b.id(), c.id());
    assertThat(outcomes)
        .extracting(o -> o.job().state())
        .containsExactly(JobState.ENQUEUED, JobState.SCHEDULED, JobState.ENQUEUED);
    assertThat(outcomes).extracting(InsertOutcome::duplicate).containsOnly(false);
    assertThat(outcomes).allSatisfy(o -> assertThat(get(o.job().id())).isEqualTo(o.job()));
  }

  @Test
  default void an_empty_batch_stores_nothing() {
    assertThat(insertMany()).isEmpty();
    assertThat(store().eventLatestSeq()).isZero();
  }
}
