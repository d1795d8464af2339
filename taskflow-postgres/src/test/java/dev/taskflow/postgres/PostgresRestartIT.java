package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskflow.StorageException;
import dev.taskflow.fixtures.LocalPgCluster;
import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.StoreListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away ({@code stop -m immediate}) and comes back: while it is down every operation
 * fails with a {@link StorageException} naming it; afterwards the same store works again without
 * being reopened, committed jobs are all there, and the LISTEN connection reconnects and wakes its
 * listeners to catch up.
 */
class PostgresRestartIT {
  private final PgSchema pg = new PgSchema("restart");
  private LocalPgCluster cluster;
  private PostgresStorage store;

  @BeforeEach
  void open() {
    pg.create();
    cluster = LocalPgCluster.orSkip();
    store =
        PostgresStorage.builder(pg.url())
            .poolSize(3)
            .connectionTimeout(Duration.ofSeconds(1))
            .build();
    store.open();
  }

  @AfterEach
  void restore() {
    if (cluster != null) cluster.ensureUp(); // whatever happened, leave PostgreSQL running
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              pg.close();
              return true;
            });
    if (store != null) store.close();
  }

  private static NewJob job() {
    return new NewJob(
        UUID.randomUUID(),
        "restart.test",
        "default",
        0,
        "{}",
        3,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void operations_fail_while_postgres_is_down_and_work_again_after_it_restarts() {
    AtomicInteger wakeUps = new AtomicInteger();
    store.listen(
        new StoreListener() {
          @Override
          public void jobsAvailable(String queue) {
            wakeUps.incrementAndGet();
          }

          @Override
          public void eventsAppended() {
            wakeUps.incrementAndGet();
          }
        });
    NewJob before = job();
    store.jobInsertMany(new JobInsertManyParams(List.of(before), "it"));

    try {
      cluster.stopImmediately();
      NewJob during = job();
      assertThatThrownBy(() -> store.jobInsertMany(new JobInsertManyParams(List.of(during), "it")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("jobInsertMany")
          .hasMessageContaining(during.id().toString());
      assertThatThrownBy(() -> store.jobGet(before.id()))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("jobGet of job " + before.id());
    } finally {
      cluster.start();
    }

    int beforeRestart = wakeUps.get();
    NewJob after = job();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(StorageException.class)
        .until(() -> !store.jobInsertMany(new JobInsertManyParams(List.of(after), "it")).isEmpty());
    assertThat(store.jobGet(before.id())).as("committed before the crash").isPresent();
    assertThat(store.jobGet(after.id())).isPresent();
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("the listener reconnected and woke everyone to catch up")
        .until(() -> wakeUps.get() > beforeRestart);
  }
}
