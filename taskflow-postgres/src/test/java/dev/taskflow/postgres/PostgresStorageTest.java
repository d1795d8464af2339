package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.fixtures.PgTestDatabase;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.StoreListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the PostgreSQL store adds to the TCK: migrations, the database clock, shared use. */
class PostgresStorageTest {
  @RegisterExtension final PgSchema pg = new PgSchema("pgtest");
  private final List<PostgresStorage> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(PostgresStorage::close);
  }

  private PostgresStorage store(boolean autoMigrate) {
    PostgresStorage s =
        PostgresStorage.builder(pg.url()).poolSize(4).autoMigrate(autoMigrate).build();
    stores.add(s);
    return s;
  }

  private PostgresStorage opened() {
    PostgresStorage s = store(true);
    s.open();
    return s;
  }

  private static NewJob newJob(String queue) {
    return new NewJob(
        UUID.randomUUID(), "pg.test", queue, 0, "{\"n\":1}", 3, null, null, null, null, null, null);
  }

  private long historyRows() throws SQLException {
    return pg.queryLong("SELECT count(*) FROM taskflow_schema_history");
  }

  @Test
  void processes_migrating_one_schema_at_once_apply_each_migration_exactly_once() throws Exception {
    int n = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<PostgresStorage> racers = new ArrayList<>();
    for (int i = 0; i < n; i++) racers.add(store(true));
    try {
      List<Future<Integer>> applied = new ArrayList<>();
      for (PostgresStorage s : racers) {
        applied.add(
            pool.submit(
                () -> {
                  start.await();
                  return s.migrate();
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : applied) total += f.get(1, TimeUnit.MINUTES);
      assertThat(total)
          .as("migrations applied by all racers together")
          .isEqualTo(PgTestDatabase.migrationCount());
    } finally {
      pool.shutdownNow();
    }
    assertThat(historyRows()).isEqualTo((long) PgTestDatabase.migrationCount());
  }

  @Test
  void a_store_told_not_to_migrate_refuses_a_schema_that_is_behind_and_opens_once_migrated() {
    assertThatThrownBy(() -> store(false).open())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema " + pg.name())
        .hasMessageContaining("at version 0")
        .hasMessageContaining("V1__init.sql")
        .hasMessageContaining("taskflow migrate");

    assertThat(store(true).migrate()).isEqualTo(PgTestDatabase.migrationCount());

    PostgresStorage strict = store(false);
    strict.open();
    assertThat(strict.jobCountByState()).containsEntry(JobState.ENQUEUED, 0L);
  }

  @Test
  void the_printed_sql_changes_nothing_and_applied_by_hand_gives_a_schema_a_strict_store_accepts()
      throws SQLException {
    String sql = store(false).pendingMigrationsSql();
    assertThat(sql).contains("-- V1__init.sql").contains("CREATE TABLE taskflow_jobs");
    assertThat(pg.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = ?", pg.name()))
        .as("the schema was not created by --print-sql")
        .isZero();

    try (Connection c = PgTestDatabase.connect("public");
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(sql);
      c.commit();
    }

    PostgresStorage strict = store(false);
    strict.open();
    assertThat(strict.pendingMigrations()).isEmpty();
    assertThat(strict.pendingMigrationsSql()).contains("up to date");
  }

  @Test
  void the_store_clock_is_the_database_clock() throws SQLException {
    PostgresStorage s = opened();
    Instant before = databaseNow();
    Instant now = s.now();
    Instant after = databaseNow();

    assertThat(now).isBetween(before.minusMillis(1), after);
  }

  private Instant databaseNow() throws SQLException {
    try (Connection c = PgTestDatabase.connect("public");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  @Test
  void a_job_enqueued_in_a_callers_transaction_exists_if_and_only_if_it_commits()
      throws SQLException {
    PostgresStorage s = opened();
    Map<JobState, Long> countsBefore = s.jobCountByState();
    long seqBefore = s.eventLatestSeq();
    NewJob rolledBack = newJob("tx");
    NewJob committed = newJob("tx");

    // A plain connection with the driver's defaults and another search path, as an app has.
    try (Connection c = PgTestDatabase.connect("public")) {
      c.setAutoCommit(false);
      List<InsertOutcome> out =
          s.jobInsertManyIn(c, new JobInsertManyParams(List.of(rolledBack), "app"));
      assertThat(out).singleElement().satisfies(o -> assertThat(o.duplicate()).isFalse());
      assertThat(s.jobGet(rolledBack.id())).as("invisible before commit").isEmpty();
      c.rollback();

      s.jobInsertManyIn(c, new JobInsertManyParams(List.of(committed), "app"));
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('search_path')")) {
        rs.next();
        assertThat(rs.getString(1)).as("the caller's search path is restored").isEqualTo("public");
      }
      c.commit();
    }

    assertThat(s.jobGet(rolledBack.id())).isEmpty();
    assertThat(s.eventsSince(new EventsSinceParams(seqBefore, rolledBack.id(), 10))).isEmpty();
    assertThat(s.jobGet(committed.id()))
        .hasValueSatisfying(j -> assertThat(j.queue()).isEqualTo("tx"));
    assertThat(s.eventsSince(new EventsSinceParams(seqBefore, committed.id(), 10))).hasSize(1);
    assertThat(s.jobCountByState().get(JobState.ENQUEUED))
        .as("counted once: the rolled-back job left no count")
        .isEqualTo(countsBefore.get(JobState.ENQUEUED) + 1);
  }

  @Test
  void an_open_callers_transaction_holds_up_no_other_writer_and_its_events_follow_commit_order()
      throws Exception {
    PostgresStorage s = opened();
    NewJob inCallersTx = newJob("tx");
    NewJob plain = newJob("tx");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Connection c = PgTestDatabase.connect("public")) {
      c.setAutoCommit(false);
      s.jobInsertManyIn(c, new JobInsertManyParams(List.of(inCallersTx), "app"));

      // The caller's transaction is still open (its own work goes on): a plain enqueue, which
      // writes events under the event-log lock, must not wait for it.
      Future<List<InsertOutcome>> meanwhile =
          other.submit(() -> s.jobInsertMany(new JobInsertManyParams(List.of(plain), "app")));
      assertThat(meanwhile.get(10, TimeUnit.SECONDS)).hasSize(1);
      long plainSeq = s.eventsSince(new EventsSinceParams(0, plain.id(), 10)).getFirst().seq();
      assertThat(s.eventsSince(new EventsSinceParams(0, inCallersTx.id(), 10)))
          .as("nothing of the open transaction is visible")
          .isEmpty();

      c.commit();

      // Its event joined the log at its commit, after the plain one that committed first.
      assertThat(s.eventsSince(new EventsSinceParams(0, inCallersTx.id(), 10)))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo("job.enqueued");
                assertThat(e.seq()).isGreaterThan(plainSeq);
              });
    } finally {
      other.shutdownNow();
    }
    assertThat(pg.queryLong("SELECT count(*) FROM taskflow_events_staged"))
        .as("no staged event is left behind")
        .isZero();
  }

  @Test
  void the_commit_trigger_takes_the_same_event_lock_as_the_store() throws SQLException {
    opened(); // migrates the schema
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("SELECT taskflow_schema_key(?)")) {
      for (String name :
          List.of(pg.name(), "public", "jobs", "a", "z9_schema_with_a_long_name_x")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as(name).isEqualTo(new PostgresDialect(name).schemaKey());
        }
      }
    }
    assertThat(PostgresDialect.LOCK_EVENTS).isEqualTo(1952841730); // the literal in V6
  }

  @Test
  void enqueue_in_refuses_what_is_not_a_transaction() throws SQLException {
    PostgresStorage s = opened();
    JobInsertManyParams p = new JobInsertManyParams(List.of(newJob("tx")), "app");

    assertThatThrownBy(() -> s.jobInsertManyIn("not a connection", p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
    try (Connection c = PgTestDatabase.connect("public")) {
      assertThatThrownBy(() -> s.jobInsertManyIn(c, p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("auto-commit");
    }
  }

  @Test
  void another_store_on_the_schema_is_woken_for_new_jobs_and_events() throws Exception {
    PostgresStorage listening = opened();
    PostgresStorage writing = opened();
    Set<String> queues = ConcurrentHashMap.newKeySet();
    AtomicInteger events = new AtomicInteger();
    try (AutoCloseable handle =
        listening.listen(
            new StoreListener() {
              @Override
              public void jobsAvailable(String queue) {
                queues.add(queue);
              }

              @Override
              public void eventsAppended() {
                events.incrementAndGet();
              }
            })) {
      // The LISTEN connection comes up on its own thread; keep enqueuing until it hears one.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                writing.jobInsertMany(
                    new JobInsertManyParams(List.of(newJob("mail"), newJob("mail")), "w"));
                assertThat(queues).contains("mail");
                assertThat(events.get()).isPositive();
              });
      assertThat(queues).containsOnly("mail");
    }
  }

  @Test
  void a_leader_lease_on_the_database_clock_passes_to_another_store_only_after_it_expires() {
    PostgresStorage a = opened();
    PostgresStorage b = opened();
    LeaderParams byA = new LeaderParams("maintenance", "node-a", Duration.ofMillis(1500));
    LeaderParams byB = new LeaderParams("maintenance", "node-b", Duration.ofSeconds(30));

    assertThat(a.leaderTryAcquire(byA)).isTrue();
    Instant taken = a.now();
    assertThat(b.leaderTryAcquire(byB)).isFalse();

    await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderTryAcquire(byB));
    assertThat(b.now()).isAfter(taken.plusMillis(1500));
    assertThat(a.leaderTryAcquire(byA)).isFalse();
  }

  @Test
  void counters_are_deltas_folded_in_the_background_and_always_add_up() throws SQLException {
    PostgresStorage s = opened();
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 25; i++) jobs.add(newJob(i % 2 == 0 ? "even" : "odd"));
    s.jobInsertMany(new JobInsertManyParams(jobs, "w"));

    assertThat(s.jobCountByState().get(JobState.ENQUEUED)).isEqualTo(25);
    await().atMost(Duration.ofSeconds(10)).until(() -> deltaRows() == 0);
    assertThat(s.jobCountByState().get(JobState.ENQUEUED)).isEqualTo(25);
    assertThat(s.queueStats())
        .extracting(q -> q.queue() + "=" + q.counts().get(JobState.ENQUEUED))
        .containsExactly("even=13", "odd=12");
  }

  private long deltaRows() throws SQLException {
    return pg.queryLong("SELECT count(*) FROM taskflow_job_count_deltas");
  }

  @Test
  void a_limit_deleted_while_a_claim_holds_its_lock_takes_the_starts_that_claim_records()
      throws Exception {
    PostgresStorage store = opened();
    store
        .limits()
        .orElseThrow()
        .save(FlowLimit.builder("reused").rate(5, Duration.ofMinutes(1)).build());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection claim = pg.connect()) {
      // What a limited claim does: lock the limit, then record a start, then commit.
      claim.setAutoCommit(false);
      try (PreparedStatement lock = claim.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, PostgresDialect.limitKey(pg.name(), "reused"));
        lock.executeQuery().close();
      }
      Future<Boolean> delete = pool.submit(() -> store.limits().orElseThrow().delete("reused"));
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLimit("reused") == 1);
      try (Statement st = claim.createStatement()) {
        st.executeUpdate(
            "INSERT INTO taskflow_rate_log (limit_name, bucket, at) VALUES ('reused', '', 1)");
      }
      claim.commit();

      assertThat(delete.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    store
        .limits()
        .orElseThrow()
        .save(FlowLimit.builder("reused").rate(5, Duration.ofMinutes(1)).build());
    assertThat(rateLogRows()).isZero();
  }

  @Test
  void a_claim_with_a_deleted_limit_still_cached_records_no_starts_for_it() throws SQLException {
    PostgresStorage claimer = opened();
    PostgresStorage admin = opened();
    admin
        .limits()
        .orElseThrow()
        .save(FlowLimit.builder("reused").queue("q").rate(5, Duration.ofMinutes(1)).build());
    insert(claimer, "q", 2);
    assertThat(claim(claimer, "q", 1)).hasSize(1); // the claimer caches the limit for a second

    admin.limits().orElseThrow().delete("reused");
    claim(claimer, "q", 1); // within that second: under the deleted limit
    admin
        .limits()
        .orElseThrow()
        .save(FlowLimit.builder("reused").queue("q").rate(5, Duration.ofMinutes(1)).build());

    assertThat(admin.limits().orElseThrow().usage("reused").orElseThrow().recentStarts()).isEmpty();
  }

  private static void insert(PostgresStorage store, String queue, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) jobs.add(newJob(queue));
    store.jobInsertMany(new JobInsertManyParams(jobs, "pgtest"));
  }

  private static List<Job> claim(PostgresStorage store, String queue, int max) {
    return store.jobClaim(
        new JobClaimParams(queue, max, "pgtest", Duration.ofMinutes(1), Set.of(), Map.of()));
  }

  /** Sessions waiting for the lock of the limit {@code name} (a one-key advisory lock). */
  private long waitingForLimit(String name) throws SQLException {
    long key = PostgresDialect.limitKey(pg.name(), name);
    return pg.queryLong(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1",
        key >>> 32,
        key & 0xffffffffL);
  }

  private long rateLogRows() throws SQLException {
    return pg.queryLong("SELECT count(*) FROM taskflow_rate_log");
  }

  @Test
  void a_closed_store_fails_with_a_storage_exception_naming_the_operation() {
    PostgresStorage s = opened();
    s.close();

    assertThatThrownBy(() -> s.jobGet(UUID.randomUUID()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("closed");
  }
}
