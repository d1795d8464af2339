package dev.taskflow.server;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.NewJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many nodes, proven: {@code taskflow worker} processes (the shaded jar, separate JVMs) on one
 * PostgreSQL schema. Every test checks the store itself: each job completed exactly once (one
 * {@code job.completed} event, one completed history entry), and no job was ever held by two live
 * leases (its history never goes from processing to processing). Prints one report line per test.
 */
class PostgresManyNodesIT {
  static final String PG = PostgresCliTest.PG;

  @TempDir Path dir;
  private String schema;
  private String storeUrl;
  private PostgresStorage store;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void fresh_schema() {
    try (Connection c = DriverManager.getConnection(PG)) {
      c.isValid(5);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + PG + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why, e);
      Assumptions.abort(why + "; start it or set TASKFLOW_TEST_PG_URL");
    }
    schema =
        ("nodes_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .toLowerCase(Locale.ROOT);
    storeUrl = PG + (PG.contains("?") ? "&" : "?") + "schema=" + schema;
    store = PostgresStorage.builder(storeUrl).poolSize(4).build();
    store.open();
  }

  @AfterEach
  void stop_everything() throws Exception {
    for (Process p : children) {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
      p.destroyForcibly();
    }
    restartPostgresIfDown();
    if (store != null) store.close();
    try (Connection c = DriverManager.getConnection(PG);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    try (var logs = Files.newDirectoryStream(dir, "*.log")) {
      for (Path log : logs) {
        Files.copy(log, reportDir().resolve("many-nodes-" + log.getFileName()), REPLACE_EXISTING);
      }
    }
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
    Process victim = startWorker("victim", "PT2S");
    startWorker("w1", "PT2S");
    startWorker("w2", "PT2S");
    List<UUID> ids = enqueue(3_000, "demo.sleep", "{\"ms\": 20, \"steps\": 1}");
    await().atMost(Duration.ofMinutes(1)).until(() -> completed() >= 300);

    victim.destroyForcibly(); // SIGKILL: no release, its leases must expire
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

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
    Process stale = startWorker("stale", "PT2S");
    List<UUID> ids = enqueue(1, "demo.sleep", "{\"ms\": 4000, \"steps\": 1}");
    UUID id = ids.get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == JobState.PROCESSING);

    signal(stale, "STOP");
    startWorker("fresh", "PT2S");
    // The stale lease expires, the fresh worker rescues and runs the job to completion.
    await().atMost(Duration.ofSeconds(60)).until(() -> state(id) == JobState.COMPLETED);
    signal(stale, "CONT");

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
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/postgresql")), "no local cluster");
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) workers.add(startWorker("w" + i, "PT5S"));
    List<UUID> acknowledged = new ArrayList<>(enqueue(2_000, "demo.echo", "{}"));
    await().atMost(Duration.ofMinutes(1)).until(() -> completed() >= 200);

    pgctl("restart", "-m", "immediate");
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
    try (Connection c = connect();
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

  private int completionEvents(UUID id) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      return count(
          st,
          "SELECT count(*) FROM taskflow_events WHERE type = 'job.completed' AND job_id = '"
              + id
              + "'");
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(PG);
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
    }
    return c;
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
  private Process startWorker(String name, String lease) throws Exception {
    Path jar = Path.of(System.getProperty("taskflow.jar", "target/taskflow.jar"));
    assertThat(jar).as("the shaded jar, built by `package` before failsafe runs").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve(name + "-worker.log");
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "worker",
                "--demo",
                "--store=" + storeUrl,
                "--queue=default=16",
                "--lease=" + lease,
                "--shutdown-grace=PT1S")
            .redirectError(log.toFile())
            .start();
    children.add(p);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("many-nodes-" + name + "-stdout")
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.startsWith("TaskFlow worker is running")) ready.complete(null);
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(new IllegalStateException(name + " exited"));
            });
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "worker " + name + " did not start; its log:\n" + Files.readString(log), e);
    }
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

  private static void signal(Process p, String sig) throws Exception {
    int code = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
    assertThat(code).as("kill -" + sig).isZero();
  }

  private static String clusterVersion() throws IOException {
    try (var s = Files.list(Path.of("/etc/postgresql"))) {
      return s.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  private static void pgctl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect"));
    cmd.add(clusterVersion());
    cmd.add("main");
    cmd.addAll(List.of(args));
    int code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
    assertThat(code).as(String.join(" ", cmd)).isZero();
  }

  private static void restartPostgresIfDown() throws Exception {
    if (!Files.isDirectory(Path.of("/etc/postgresql"))) return;
    int ready = new ProcessBuilder("pg_isready", "-q", "-h", "127.0.0.1").start().waitFor();
    if (ready != 0) pgctl("start");
  }

  private static Path reportDir() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("taskflow.reportDir", "target")));
  }

  private static void report(String format, Object... args) throws IOException {
    String line = "many-nodes " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    Files.writeString(
        reportDir().resolve("many-nodes-report.txt"),
        line + System.lineSeparator(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
