package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.JOBS;

import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.BatchRecord;
import dev.taskflow.spi.BatchSpec;
import dev.taskflow.spi.Dependencies;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code taskflow_batches} rows: insert, read with member counts, and finishing open batches
 * whose members all finished. A batch is finished by an update conditional on {@code state =
 * 'open'}, and its callback and event are written only by the transaction whose update matched:
 * exactly once however many servers sweep.
 */
final class BatchRows {
  static final String BATCHES = "taskflow_batches";
  private static final String UNFINISHED = "('awaiting', 'scheduled', 'enqueued', 'processing')";

  /**
   * Inserts callback jobs in the caller's transaction, never refused by a queue's max depth (a
   * callback, like a recurring fire or a retry, is not new work a client can shed).
   */
  interface Inserter {
    List<InsertOutcome> insert(Connection c, List<NewJob> jobs, String serverId)
        throws SQLException;
  }

  private final SqlDialect dialect;

  BatchRows(SqlDialect dialect) {
    this.dialect = dialect;
  }

  void insert(Connection c, UUID id, String specJson, int total, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + BATCHES
                + " (id, state, spec, total, created_at) VALUES (?, 'open', "
                + dialect.jsonParam()
                + ", ?, ?)")) {
      ps.setString(1, id.toString());
      ps.setString(2, specJson);
      ps.setInt(3, total);
      ps.setLong(4, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  Optional<BatchRecord> get(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, spec, total, created_at, finished_at FROM "
                + BATCHES
                + " WHERE id = ?")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(
            new BatchRecord(
                id,
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                counts(c, id),
                JobRows.instant(rs, 4),
                JobRows.instant(rs, 5)));
      }
    }
  }

  private static Map<JobState, Long> counts(Connection c, UUID id) throws SQLException {
    Map<JobState, Long> out = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) out.put(s, 0L);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, count(*) FROM " + JOBS + " WHERE batch_id = ? GROUP BY state")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(JobRows.state(rs.getString(1)), rs.getLong(2));
      }
    }
    return out;
  }

  /** Finishes up to {@code limit} open batches whose members all finished; returns how many. */
  int sweep(Connection c, int limit, String serverId, Instant now, Inserter inserter)
      throws SQLException {
    List<UUID> ready = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT b.id FROM "
                + BATCHES
                + " b WHERE b.state = 'open' AND NOT EXISTS (SELECT 1 FROM "
                + JOBS
                + " j WHERE j.batch_id = b.id AND j.state IN "
                + UNFINISHED
                + ") ORDER BY b.id LIMIT ?"
                + dialect.lockSkipLocked())) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ready.add(UUID.fromString(rs.getString(1)));
      }
    }
    int done = 0;
    for (UUID id : ready) {
      if (finish(c, id, serverId, now, inserter)) done++;
    }
    return done;
  }

  private boolean finish(Connection c, UUID id, String serverId, Instant now, Inserter inserter)
      throws SQLException {
    BatchRecord r = get(c, id).orElse(null);
    if (r == null || !r.state().equals(BatchRecord.OPEN)) return false;
    String state = Dependencies.batchOutcome(r.counts());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + BATCHES
                + " SET state = ?, finished_at = ? WHERE id = ? AND state = 'open'")) {
      ps.setString(1, state);
      ps.setLong(2, now.toEpochMilli());
      ps.setString(3, id.toString());
      if (ps.executeUpdate() == 0) return false; // another server finished it
    }
    BatchSpec spec = BatchSpec.fromJson(r.specJson());
    NewEvent about = null;
    UUID callbackId = null;
    if (spec.callback() != null) {
      Map<String, Long> counts = new LinkedHashMap<>();
      r.counts().forEach((s, n) -> counts.put(s.wireName(), n));
      NewJob cb = spec.callbackJob(id, state, r.total(), counts);
      var job = inserter.insert(c, List.of(cb), serverId).getFirst().job();
      callbackId = job.id();
      about = NewEvent.of(job, "", "");
    } else {
      about = lastFinished(c, id);
    }
    if (about != null) {
      String type =
          state.equals(BatchRecord.COMPLETED) ? JobEvent.BATCH_COMPLETED : JobEvent.BATCH_FAILED;
      NewEvent e =
          new NewEvent(
              about.jobId(),
              type,
              about.jobType(),
              about.queue(),
              about.owner(),
              EventData.batchFinished(r, state, callbackId));
      EventLog.append(c, dialect, List.of(e), now);
    }
    return true;
  }

  /**
   * A predicate on a job row aliased {@code alias}: it is no member of an open batch. Retention
   * keeps such members, so the batch's counts and outcome still see a member that failed early.
   */
  static String notInOpenBatch(String alias) {
    return "("
        + alias
        + ".batch_id IS NULL OR NOT EXISTS (SELECT 1 FROM "
        + BATCHES
        + " bb WHERE bb.id = "
        + alias
        + ".batch_id AND bb.state = 'open'))";
  }

  /** The member that finished last (an event needs a job), or null when none is stored. */
  private NewEvent lastFinished(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JobMeta.COLUMNS
                + " FROM "
                + JOBS
                + " WHERE batch_id = ? AND finished_at IS NOT NULL"
                + " ORDER BY finished_at DESC, id DESC LIMIT 1")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JobMeta.read(rs).event("", "") : null;
      }
    }
  }
}
