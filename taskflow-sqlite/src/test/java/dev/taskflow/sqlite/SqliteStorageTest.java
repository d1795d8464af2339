package dev.taskflow.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.Job;
import dev.taskflow.JobFlow;
import dev.taskflow.ParentFailure;
import dev.taskflow.StorageException;
import dev.taskflow.spi.AwaitingResolveParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.test.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store adds to the storage contract: the file, its settings, its neighbours. */
class SqliteStorageTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AtomicLong SEQ = new AtomicLong();

  @TempDir Path dir;
  private final ManualClock clock = ManualClock.at(T0);

  private SqliteStorage open(SqliteStorage.Builder b) {
    SqliteStorage s = b.clock(clock).build();
    s.open();
    return s;
  }

  private static UUID v7() {
    long millis = T0.toEpochMilli() + SEQ.getAndIncrement();
    return new UUID((millis << 16) | 0x7000L, 0x8000000000000000L | SEQ.get());
  }

  private static NewJob newJob() {
    return new NewJob(
        v7(), "test.noop", "default", 0, "{}", 3, null, null, null, null, null, List.of());
  }

  private static void insert(SqliteStorage s, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) jobs.add(newJob());
    s.jobInsertMany(new JobInsertManyParams(jobs, "test"));
  }

  private Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  @Test
  void the_file_runs_in_wal_mode_with_synchronous_full_and_foreign_keys_on() {
    try (SqliteStorage s = open(SqliteStorage.builder(dir.resolve("a.db")))) {
      assertThat(s.writerPragma("journal_mode")).isEqualTo("wal");
      assertThat(s.writerPragma("synchronous")).isEqualTo("2"); // FULL
      assertThat(s.writerPragma("foreign_keys")).isEqualTo("1");
      assertThat(s.writerPragma("busy_timeout")).isEqualTo("10000");
    }
  }

  @Test
  void synchronous_normal_and_the_busy_timeout_can_be_chosen() {
    try (SqliteStorage s =
        open(
            SqliteStorage.builder(dir.resolve("a.db"))
                .synchronous(SqliteStorage.Synchronous.NORMAL)
                .busyTimeout(Duration.ofMillis(1500)))) {
      assertThat(s.writerPragma("synchronous")).isEqualTo("1"); // NORMAL
      assertThat(s.writerPragma("busy_timeout")).isEqualTo("1500");
    }
  }

  @Test
  void the_store_reads_time_from_its_clock() {
    try (SqliteStorage s = open(SqliteStorage.builder(dir.resolve("a.db")))) {
      clock.advance(Duration.ofMinutes(3));
      assertThat(s.now()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
      insert(s, 1);
      assertThat(s.jobList(listAll()).getFirst().createdAt()).isEqualTo(s.now());
    }
  }

  @Test
  void missing_parent_directories_are_created() {
    Path file = dir.resolve("nested/deeper/taskflow.db");
    try (SqliteStorage s = open(SqliteStorage.builder(file))) {
      insert(s, 1);
    }
    assertThat(file).exists();
  }

  @Test
  void two_stores_on_one_file_never_claim_the_same_job() throws Exception {
    Path file = dir.resolve("shared.db");
    int jobs = 600;
    try (SqliteStorage a = open(SqliteStorage.builder(file));
        SqliteStorage b = open(SqliteStorage.builder(file))) {
      insert(a, jobs);
      ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        SqliteStorage store = t % 2 == 0 ? a : b;
        String owner = "server-" + t;
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  while (true) {
                    List<Job> got =
                        store.jobClaim(
                            new JobClaimParams(
                                "default", 7, owner, Duration.ofMinutes(1), Set.of(), Map.of()));
                    if (got.isEmpty()) return null;
                    got.forEach(j -> claimed.add(j.id()));
                  }
                }));
      }
      start.countDown();
      for (Future<?> f : runs) f.get();
      pool.shutdown();

      assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
    }
  }

  @Test
  void a_changed_migration_is_refused_when_the_store_opens() throws SQLException {
    Path file = dir.resolve("a.db");
    open(SqliteStorage.builder(file)).close();
    try (Connection c = raw(file);
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE taskflow_schema_history SET checksum = 'f00d' WHERE version = 1");
    }

    SqliteStorage reopened = SqliteStorage.builder(file).clock(clock).build();
    assertThatThrownBy(reopened::open)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("V1__init.sql was changed after it was applied")
        .hasMessageContaining("f00d");
    reopened.close();
  }

  @Test
  void a_write_that_outwaits_the_busy_timeout_fails_naming_the_operation_and_job()
      throws SQLException {
    Path file = dir.resolve("a.db");
    try (SqliteStorage s = open(SqliteStorage.builder(file).busyTimeout(Duration.ofMillis(50)));
        Connection other = raw(file);
        Statement st = other.createStatement()) {
      st.execute("BEGIN IMMEDIATE"); // another process holds the write lock
      NewJob job = newJob();

      assertThatThrownBy(() -> s.jobInsertMany(new JobInsertManyParams(List.of(job), "test")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("jobInsertMany")
          .hasMessageContaining(job.id().toString())
          .hasMessageContaining("SQLITE_BUSY");

      st.execute("ROLLBACK");
      assertThat(s.jobInsertMany(new JobInsertManyParams(List.of(job), "test")))
          .singleElement()
          .satisfies(o -> assertThat(o.duplicate()).isFalse());
    }
  }

  @Test
  void a_closed_store_refuses_work_with_a_clear_error() {
    SqliteStorage s = open(SqliteStorage.builder(dir.resolve("a.db")));
    s.close();

    assertThatThrownBy(() -> insert(s, 1))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> s.jobGet(v7()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void a_read_on_the_reader_pool_sees_the_write_that_just_returned() {
    try (SqliteStorage s = open(SqliteStorage.builder(dir.resolve("a.db")).idleReaders(2))) {
      for (int i = 1; i <= 20; i++) {
        insert(s, 5);
        assertThat(s.jobList(listAll())).hasSize(5 * i);
      }
    }
  }

  @Test
  void retention_deletes_the_dependency_rows_of_the_children_it_deletes() throws SQLException {
    Path file = dir.resolve("a.db");
    try (SqliteStorage s = open(SqliteStorage.builder(file))) {
      NewJob parent = newJob();
      NewJob child =
          newJob()
              .withFlow(
                  new JobFlow(List.of(parent.id()), ParentFailure.CANCEL, null, null, null, null));
      s.jobInsertMany(new JobInsertManyParams(List.of(parent, child), "test"));
      runToCompletion(s);
      s.flows().orElseThrow().jobResolveAwaiting(new AwaitingResolveParams("test", 100));
      runToCompletion(s);
      assertThat(depsRows(file)).isEqualTo(1);
      Instant cutoff = clock.advance(Duration.ofDays(1));

      assertThat(s.jobRetentionDelete(new JobRetentionParams(cutoff, cutoff, cutoff, cutoff, 100)))
          .isEqualTo(2);

      assertThat(depsRows(file)).as("no link outlives its child").isZero();
    }
  }

  private static void runToCompletion(SqliteStorage s) {
    Job j =
        s.jobClaim(
                new JobClaimParams(
                    "default", 1, "worker", Duration.ofSeconds(30), Set.of(), Map.of()))
            .getFirst();
    s.jobFinishMany(
        new JobFinishManyParams(
            List.of(
                new JobFinish.Completed(new JobLease(j.id(), j.attempt(), j.leaseOwner()), "{}"))));
  }

  private long depsRows(Path file) throws SQLException {
    try (Connection c = raw(file);
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM taskflow_job_deps")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static dev.taskflow.spi.JobListParams listAll() {
    return new dev.taskflow.spi.JobListParams(Set.of(), null, null, null, null, null, 500);
  }
}
