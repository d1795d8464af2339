package dev.taskflow.benchmarks;

import dev.taskflow.Job;
import dev.taskflow.TaskFlow;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.Storage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two reference loops each drain is compared with, both single-threaded, claiming and
 * completing {@link Plan#CEILING_BATCH} jobs per round trip with no job execution at all:
 *
 * <ul>
 *   <li>{@code store_loop}: the store's own SPI ({@code jobClaim} + {@code jobFinishMany}), i.e.
 *       TaskFlow without its engine; the gap to the drain is the engine's cost.
 *   <li>{@code ceiling_jdbc}: a minimal plain-JDBC loop on the same database and the same table
 *       (two statements, two commits per batch, no events and no history), i.e. what the database
 *       can do at all.
 * </ul>
 */
final class SpiLoop {
  private final Plan plan;
  private final Machine machine;
  private final EngineBench engine;

  SpiLoop(Plan plan, Machine machine, EngineBench engine) {
    this.plan = plan;
    this.machine = machine;
    this.engine = engine;
  }

  static JobLease lease(Job job, String owner) {
    return new JobLease(job.id(), job.attempt(), owner);
  }

  Figure storeLoop(BenchStore store) {
    Storage storage = store.fresh();
    try (TaskFlow tf = engine.build(storage, new Probe(0))) {
      EngineBench.enqueueZeros(tf, plan.jobs());
      store.analyze();
      double load = machine.load();
      String owner = "bench-store-loop";
      long t0 = System.nanoTime();
      int done = 0;
      while (true) {
        List<Job> claimed =
            storage.jobClaim(
                new JobClaimParams(
                    "default",
                    Plan.CEILING_BATCH,
                    owner,
                    Duration.ofMinutes(1),
                    Set.of(Noop.TYPE),
                    Map.of()));
        if (claimed.isEmpty()) break;
        List<JobFinish> outcomes = new ArrayList<>(claimed.size());
        for (Job j : claimed) outcomes.add(new JobFinish.Completed(lease(j, owner), null));
        done += storage.jobFinishMany(new JobFinishManyParams(outcomes)).size();
      }
      double s = EngineBench.seconds(t0);
      return Figure.of(
          store.label(), "store_loop", load, "jobs_per_s", done / s, "batch", Plan.CEILING_BATCH);
    }
  }

  Figure ceilingJdbc(BenchStore store) throws SQLException {
    try (TaskFlow tf = engine.build(store.fresh(), new Probe(0))) {
      EngineBench.enqueueZeros(tf, plan.jobs()); // the same rows the drain works on
      store.analyze();
    }
    boolean pg = store.kind() == BenchStore.Kind.POSTGRES;
    // the same statement shape the stores use: one claiming UPDATE over the ready index
    String claim =
        """
        UPDATE taskflow_jobs SET state = 'processing', attempt = attempt + 1,
          lease_owner = 'ceiling', lease_expires_at = ?, started_at = ?
        WHERE id IN (SELECT id FROM taskflow_jobs WHERE state = 'enqueued' AND queue = 'default'
                     ORDER BY priority DESC, scheduled_at, id LIMIT ?%s)
        RETURNING id
        """
            .formatted(pg ? " FOR UPDATE SKIP LOCKED" : "");
    double load = machine.load();
    int done = 0;
    long t0;
    try (Connection c = store.jdbc()) {
      c.setAutoCommit(false);
      t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement(claim)) {
        while (true) {
          long now = System.currentTimeMillis();
          ps.setLong(1, now + 60_000);
          ps.setLong(2, now);
          ps.setInt(3, Plan.CEILING_BATCH);
          List<String> ids = new ArrayList<>(Plan.CEILING_BATCH);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getString(1));
          }
          c.commit();
          if (ids.isEmpty()) break;
          done += pg ? completePostgres(c, ids, now) : complete(c, ids, now);
          c.commit();
        }
      }
    }
    double s = EngineBench.seconds(t0);
    return Figure.of(
        store.label(), "ceiling_jdbc", load, "jobs_per_s", done / s, "batch", Plan.CEILING_BATCH);
  }

  private static int completePostgres(Connection c, List<String> ids, long now)
      throws SQLException {
    String sql =
        "UPDATE taskflow_jobs SET state = 'completed', finished_at = ?, lease_owner = NULL,"
            + " lease_expires_at = NULL WHERE state = 'processing' AND lease_owner = 'ceiling'"
            + " AND id = ANY (?::uuid[])";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      return ps.executeUpdate();
    }
  }

  private static int complete(Connection c, List<String> ids, long now) throws SQLException {
    String sql =
        "UPDATE taskflow_jobs SET state = 'completed', finished_at = ?, lease_owner = NULL,"
            + " lease_expires_at = NULL WHERE state = 'processing' AND lease_owner = 'ceiling'"
            + " AND id IN ("
            + "?,".repeat(ids.size() - 1)
            + "?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
      return ps.executeUpdate();
    }
  }
}
