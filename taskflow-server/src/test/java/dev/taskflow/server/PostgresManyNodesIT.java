package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.fixtures.ChildJvm;
import dev.taskflow.fixtures.LocalPgCluster;
import dev.taskflow.fixtures.PgSchema;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.NewJob;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many nodes, proven: {@code taskflow worker} processes (the shaded jar, separate JVMs) on one
 * PostgreSQL schema. Every test checks the store itself: each job completed exactly once (one
 * {@code job.completed} event, one completed history entry), and no job was ever held by two live
 * leases (its history never goes from processing to processing). Prints one report line per test.
 */
class PostgresManyNodesIT {
  private static final Pattern RUNNING = Pattern.compile("^TaskFlow worker is running");

  @RegisterExtension final PgSchema pg = new PgSchema("nodes");
  @TempDir Path dir;
  private PostgresStorage store;
  private LocalPgCluster cluster; // the restart test's
  private final List<ChildJvm> children = new ArrayList<>();

  @BeforeEach
  void open_the_store() {
    store = PostgresStorage.builder(pg.url()).poolSize(4).build();
    store.open();
  }

  @AfterEach
  void stop_everything() throws Exception {
    children.forEach(ChildJvm::close);
    if (cluster != null) cluster.ensureUp();
    if (store != null) store.close();
    ShadedJar.keepLogs(dir, "many-nodes-");
  }

  // ------------------------------------------------------------------ the proofs

  @Test
  void three_workers_drain_ten_thousand_jobs_each_completed_exactly_once() throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) startWorker("w" + i, "PT10S");
    List<UUID> ids = enqueue(10_000, "demo.echo", "{\"n\":1}");

    awaitCompleted(ids.size(), Duration.ofMinutes(2));
    Check c = check(ids);
    report(
        "drain: jobs=%d workers=3 completedBy=%s ranTwice=%d seconds=%.1f",
        ids.size(), c.completedBy, c.ranTwice, (System.nanoTime() - t0) / 1e9);
    c.assertExactlyOnceAndSingleLease(ids.size());
    assertThat(c.completedBy).as("every worker took part").hasSize(3);
  }

  @Test
  void a_worker_killed_mid_run_loses_no_job_and_the_others_finish_its_work() throws Exception {
    ChildJvm victim = startWorker("victim", "PT2S");
    startWorker("w1", "PT2S");
    startWorker("w2", "PT2S");
    List<UUID> ids = enqueue(3_000, "demo.sleep", "{\"ms\": 20, \"steps\": 1}");
    await().atMost(Duration.ofMinutes(1)).until(() -> completed() >= 300);

    victim.kill(); // SIGKILL: no release, its leases must expire

    awaitCompleted(ids.size(), Duration.ofMinutes(2));
    Check c = check(ids);
    report(
        "sigkill: jobs=%d completedBy=%s ranTwice=%d (jobs the victim held, rerun after rescue)",
        ids.size(), c.completedBy, c.ranTwice);
    c.assertExactlyOnceAndSingleLease(ids.size());
  }

  @Test
  void a_worker_stopped_past_its_lease_cannot_complete_the_job_another_worker_took()
      throws Exception {
    ChildJvm stale = startWorker("stale", "PT2S");
    List<UUID> ids = enqueue(1, "demo.sleep", "{\"ms\": 4000, \"steps\": 1}");
    UUID id = ids.get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == JobState.PROCESSING);

    stale.pause();
    startWorker("fresh", "PT2S");
    // The stale lease expires, the fresh worker rescues and runs the job to completion.
    await().atMost(Duration.ofSeconds(60)).until(() -> state(id) == JobState.COMPLETED);
    stale.resume();

    // The stale worker wakes with its attempt done and tries to record it: the fence refuses.
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> completionEvents(id) == 1);
    Check c = check(ids);
    report(
        "sigstop: completedBy=%s attempts=%d completions=%d",
        c.completedBy, store.jobGet(id).orElseThrow().attempt(), completionEvents(id));
    c.assertExactlyOnceAndSingleLease(1);
    assertThat(c.completedBy).containsOnlyKeys(serverOf("fresh"));
    assertThat(c.ranTwice).isEqualTo(1);
  }

  @Test
  void postgres_restarting_under_load_loses_no_acknowledged_job_and_workers_resume()
      throws Exception {
    cluster = LocalPgCluster.orSkip();
    List<ChildJvm> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) workers.add(startWorker("w" + i, "PT5S"));
    List<UUID> acknowledged = new ArrayList<>(enqueue(2_000, "demo.echo", "{}"));
    await().atMost(Duration.ofMinutes(1)).until(() -> completed() >= 200);

    cluster.restartImmediately();
    int refused = 0;
    for (int i = 0; i < 20; i++) { // keep enqueuing: only what the store acknowledged counts
      try {
        acknowledged.addAll(enqueue(100, "demo.echo", "{}"));
      } catch (StorageException e) {
        refused++;
      }
    }

    awaitCompleted(acknowledged.size(), Duration.ofMinutes(2));
    assertThat(workers)
        .allSatisfy(p -> assertThat(p.isAlive()).as("worker still running").isTrue());
    Check c = check(acknowledged);
    report(
        "pg-restart: acknowledged=%d refusedBatches=%d completedBy=%s ranTwice=%d",
        acknowledged.size(), refused, c.completedBy, c.ranTwice);
    c.assertExactlyOnceAndSingleLease(acknowledged.size());
  }

  // ------------------------------------------------------------------ checks on the store

  private record Check(
      int jobs, int onceCompleted, int doubleLease, Map<String, Long> completedBy, int ranTwice) {
    void assertExactlyOnceAndSingleLease(int expected) {
      assertThat(jobs).as("jobs in the store").isEqualTo(expected);
      assertThat(onceCompleted).as("jobs with exactly one completion").isEqualTo(expected);
      assertThat(doubleLease).as("jobs that went processing -> processing").isZero();
    }
  }

  private Check check(List<UUID> ids) throws SQLException {
    try (Connection c = pg.connect();
        Statement st = c.createStatement()) {
      int jobs = count(st, "SELECT count(*) FROM taskflow_jobs");
      int once =
          count(
              st,
              "SELECT count(*) FROM taskflow_jobs j WHERE j.state = 'completed'"
                  + " AND (SELECT count(*) FROM taskflow_events e WHERE e.job_id = j.id"
                  + "      AND e.type = 'job.completed') = 1"
                  + " AND (SELECT count(*) FROM jsonb_array_elements(j.history) h"
                  + "      WHERE h->>'state' = 'completed') = 1");
      int doubleLease =
          count(
              st,
              "SELECT count(DISTINCT j.id) FROM taskflow_jobs j, LATERAL (SELECT h->>'state' AS s,"
                  + " lag(h->>'state') OVER (ORDER BY o) AS p FROM jsonb_array_elements(j.history)"
                  + " WITH ORDINALITY AS x(h, o)) t WHERE t.s = 'processing' AND t.p = 'processing'");
      int ranTwice =
          count(
              st,
              "SELECT count(*) FROM taskflow_jobs j WHERE (SELECT count(*) FROM"
                  + " jsonb_array_elements(j.history) h WHERE h->>'state' = 'processing') > 1");
      Map<String, Long> by = new TreeMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT h->>'server', count(*) FROM taskflow_jobs j, jsonb_array_elements(j.history)"
                  + " h WHERE h->>'state' = 'completed' GROUP BY 1")) {
        while (rs.next()) by.put(rs.getString(1), rs.getLong(2));
      }
      assertThat(ids).doesNotHaveDuplicates();
      return new Check(jobs, once, doubleLease, by, ranTwice);
    }
  }

  private static int count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private long completed() {
    try {
      return store.jobCountByState().getOrDefault(JobState.COMPLETED, 0L);
    } catch (StorageException e) {
      return -1; // the database is restarting
    }
  }

  private void awaitCompleted(int n, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .ignoreException(StorageException.class)
        .until(() -> completed() >= n);
  }

  private JobState state(UUID id) {
    return store.jobGet(id).orElseThrow().state();
  }

  private long completionEvents(UUID id) throws SQLException {
    return pg.queryLong(
        "SELECT count(*) FROM taskflow_events WHERE type = 'job.completed' AND job_id = ?::uuid",
        id.toString());
  }

  private List<UUID> enqueue(int n, String type, String args) {
    List<UUID> ids = new ArrayList<>(n);
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      UUID id = uuidV7();
      ids.add(id);
      batch.add(new NewJob(id, type, "default", 0, args, 3, null, null, null, null, null, null));
      if (batch.size() == 1000 || i == n - 1) {
        store.jobInsertMany(new JobInsertManyParams(batch, "many-nodes-it"));
        batch = new ArrayList<>();
      }
    }
    return ids;
  }

  private static UUID uuidV7() {
    long ms = System.currentTimeMillis();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (ms << 16) | 0x7000L | r.nextLong(0x1000);
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  // ------------------------------------------------------------------ processes

  private final Map<String, String> serverIds = new TreeMap<>();

  private String serverOf(String name) {
    return serverIds.get(name);
  }

  /** Starts {@code taskflow worker} in a new JVM; returns once it says it is running. */
  private ChildJvm startWorker(String name, String lease) {
    ChildJvm p =
        ShadedJar.run(
                "worker",
                "--demo",
                "--store=" + pg.url(),
                "--queue=default=16",
                "--lease=" + lease,
                "--shutdown-grace=PT1S")
            .jvmArgs("-Xmx256m")
            .start(dir.resolve(name + "-worker.log"));
    children.add(p);
    p.awaitLine(RUNNING, Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(30)).until(() -> newServerId(name));
    return p;
  }

  /** Learns the server id the newest worker registered under. */
  private boolean newServerId(String name) {
    for (var s : store.serverList(java.time.Instant.EPOCH)) {
      if (!serverIds.containsValue(s.id())) {
        serverIds.put(name, s.id());
        return true;
      }
    }
    return false;
  }

  private static void report(String format, Object... args) throws IOException {
    ShadedJar.report(
        "many-nodes-report.txt", "many-nodes " + String.format(Locale.ROOT, format, args));
  }
}
