package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.ParentFailure;
import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.fixtures.PgTestDatabase;
import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on real PostgreSQL, where it runs beside inserts of other transactions: a parent that
 * an uncommitted child is being linked to is skipped, and the dependency rows of the children it
 * deletes go with them.
 */
class PostgresRetentionTest {
  @RegisterExtension final PgSchema pg = new PgSchema("pgretention");
  private PostgresStorage store;

  @BeforeEach
  void open_a_store_on_a_fresh_schema() {
    store = PostgresStorage.builder(pg.url()).poolSize(4).build();
    store.open();
  }

  @AfterEach
  void close_the_store() {
    if (store != null) store.close();
  }

  private static NewJob newJob(String queue) {
    return new NewJob(
        UUID.randomUUID(), "pg.test", queue, 0, "{}", 3, null, null, null, null, null, null);
  }

  private static NewJob childOf(String queue, UUID... parents) {
    return newJob(queue)
        .withFlow(new JobFlow(List.of(parents), ParentFailure.CANCEL, null, null, null, null));
  }

  private void insert(NewJob... jobs) {
    store.jobInsertMany(new JobInsertManyParams(List.of(jobs), "test"));
  }

  /** Claims the only enqueued job of {@code queue} and completes it. */
  private void runToCompletion(String queue) {
    List<Job> claimed =
        store.jobClaim(
            new JobClaimParams(queue, 1, "worker", Duration.ofSeconds(30), Set.of(), Map.of()));
    assertThat(claimed).as("claimed from %s", queue).hasSize(1);
    Job j = claimed.getFirst();
    JobLease lease = new JobLease(j.id(), j.attempt(), j.leaseOwner());
    assertThat(
            store.jobFinishMany(
                new JobFinishManyParams(List.of(new JobFinish.Completed(lease, "{}")))))
        .containsExactly(j.id());
  }

  private static JobRetentionParams everythingFinished() {
    Instant cutoff = Instant.now().plus(Duration.ofHours(1));
    return new JobRetentionParams(cutoff, cutoff, cutoff, cutoff, 100);
  }

  private long depsRowsNaming(UUID... ids) throws SQLException {
    String[] text = java.util.Arrays.stream(ids).map(UUID::toString).toArray(String[]::new);
    return pg.queryLong(
        "SELECT count(*) FROM taskflow_job_deps"
            + " WHERE child_id = ANY (?::uuid[]) OR parent_id = ANY (?::uuid[])",
        text,
        text);
  }

  @Test
  void retention_skips_a_completed_parent_that_an_uncommitted_child_is_being_linked_to()
      throws Exception {
    NewJob parent = newJob("parents");
    NewJob other = newJob("others");
    insert(parent, other);
    runToCompletion("parents");
    NewJob child = childOf("children", parent.id(), other.id());

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = PgTestDatabase.connect("public")) {
      c.setAutoCommit(false);
      store.jobInsertManyIn(c, new JobInsertManyParams(List.of(child), "app"));

      Future<Integer> retention = pool.submit(() -> store.jobRetentionDelete(everythingFinished()));
      assertThat(retention.get(30, TimeUnit.SECONDS))
          .as("the parent the open insert locks is skipped, not waited for")
          .isZero();
      c.commit();
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.jobGet(parent.id())).isPresent();
    assertThat(store.jobRetentionDelete(everythingFinished()))
        .as("the committed child awaits the parent")
        .isZero();
    runToCompletion("others");
    store.flows().orElseThrow().jobResolveAwaiting(new AwaitingResolveParams("test", 100));
    assertThat(store.jobGet(child.id()))
        .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.ENQUEUED));
  }

  @Test
  void retention_deletes_the_dependency_rows_of_the_children_it_deletes() throws SQLException {
    NewJob parent = newJob("parents");
    insert(parent);
    NewJob child = childOf("children", parent.id());
    insert(child);
    runToCompletion("parents");
    store.flows().orElseThrow().jobResolveAwaiting(new AwaitingResolveParams("test", 100));
    runToCompletion("children");
    assertThat(depsRowsNaming(parent.id(), child.id())).isEqualTo(1);

    assertThat(store.jobRetentionDelete(everythingFinished())).isEqualTo(2);

    assertThat(depsRowsNaming(parent.id(), child.id())).isZero();
  }
}
