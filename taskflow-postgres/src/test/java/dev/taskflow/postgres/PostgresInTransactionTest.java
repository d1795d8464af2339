package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobArgs;
import dev.taskflow.JobQuery;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.JobType;
import dev.taskflow.TaskFlow;
import dev.taskflow.fixtures.PgTestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code TaskFlow.inTransaction}: a job exists exactly when the caller's transaction commits. */
class PostgresInTransactionTest {
  @JobType("receipt.send")
  record Receipt(String order) implements JobArgs {}

  private String schema;
  private TaskFlow taskflow;

  @BeforeEach
  void start() {
    PgTestDatabase.requireAvailable();
    schema = PgTestDatabase.newSchema("pgintx");
    taskflow =
        TaskFlow.builder()
            .storage(PostgresStorage.builder(PgTestDatabase.url(schema)).poolSize(2).build())
            .worker(Receipt.class, (args, ctx) -> "sent " + args.order())
            .pollInterval(Duration.ofMillis(100))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (taskflow != null) taskflow.close();
    if (schema != null) PgTestDatabase.dropSchema(schema);
  }

  @Test
  void a_committed_job_runs_and_a_rolled_back_one_never_existed() throws Exception {
    EnqueueResult rolledBack;
    EnqueueResult committed;
    try (Connection c = PgTestDatabase.connect("public")) {
      c.setAutoCommit(false);
      rolledBack = taskflow.inTransaction(c).enqueue(new Receipt("o-1"), EnqueueOptions.defaults());
      assertThat(taskflow.get(rolledBack.id())).as("invisible before commit").isEmpty();
      c.rollback();

      committed =
          taskflow
              .inTransaction(c)
              .enqueueAll(List.of(new JobRequest("receipt.send", "{\"order\":\"o-2\"}", null)))
              .getFirst();
      c.commit();
    }

    assertThat(taskflow.get(rolledBack.id())).isEmpty();
    assertThat(taskflow.awaitFinished(committed.id(), Duration.ofSeconds(20)).state())
        .isEqualTo(JobState.COMPLETED);
    assertThat(taskflow.list(JobQuery.all().type("receipt.send").limit(10)).items())
        .singleElement()
        .satisfies(j -> assertThat(j.id()).isEqualTo(committed.id()));
  }

  @Test
  void a_bad_job_is_refused_before_the_callers_transaction_is_touched() throws Exception {
    try (Connection c = PgTestDatabase.connect("public")) {
      c.setAutoCommit(false);
      assertThatThrownBy(
              () ->
                  taskflow
                      .inTransaction(c)
                      .enqueueAll(List.of(new JobRequest("no such type", "{}", null))))
          .isInstanceOf(InvalidJobException.class)
          .hasMessageContaining("type");
      c.commit();
    }
    assertThat(taskflow.list(JobQuery.all().limit(10)).items()).isEmpty();
    assertThat(taskflow.cluster().stateCounts().values().stream().mapToLong(Long::longValue).sum())
        .isZero();
  }
}
