package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COLUMNS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.LIVE;
import static dev.taskflow.jdbc.JobRows.marks;
import static dev.taskflow.jdbc.JobRows.setMillis;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Inserts new jobs: all or none, at most one live job per unique key, and none while a job holds
 * the key for a period ({@code unique_until} after now, in any state). The holders of the batch's
 * keys are read first; an insert that still meets a key taken meanwhile (a concurrent writer on a
 * multi-writer database) is skipped by {@code ON CONFLICT DO NOTHING} and reported as a duplicate
 * of the job that holds the key.
 */
final class JobInserter {
  private static final int COLUMN_COUNT = 28;
  private final SqlDialect dialect;
  private final DependencyRows deps;

  JobInserter(SqlDialect dialect) {
    this.dialect = dialect;
    this.deps = new DependencyRows(dialect);
  }

  List<InsertOutcome> insertMany(Connection c, List<NewJob> jobs, String serverId, Instant now)
      throws SQLException {
    Set<UUID> ids = new HashSet<>();
    for (NewJob nj : jobs) {
      if (nj.id() != null && !ids.add(nj.id())) {
        throw new StorageException(
            "job id " + nj.id() + " (type " + nj.type() + ") appears twice in one batch");
      }
    }
    deps.checkParents(c, jobs); // before anything is written: all or none
    Map<String, Job> holders = holders(c, jobs, now);
    InsertOutcome[] out = new InsertOutcome[jobs.size()];
    List<Job> fresh = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob nj = jobs.get(i);
      Job holder = nj.uniqueKey() == null ? null : holders.get(nj.uniqueKey());
      if (holder != null) {
        out[i] = new InsertOutcome(holder, true);
        continue;
      }
      Job job = newJob(nj, now, serverId);
      if (nj.uniqueKey() != null) holders.put(nj.uniqueKey(), job);
      fresh.add(job);
      slots.add(i);
    }
    Set<UUID> inserted = insertJobs(c, fresh);
    List<NewEvent> events = new ArrayList<>();
    for (int k = 0; k < fresh.size(); k++) {
      Job job = fresh.get(k);
      if (!inserted.contains(job.id())) {
        // Another transaction took the unique key first (stores with concurrent writers).
        Job holder = liveHolder(c, job.uniqueKey());
        if (holder == null) {
          throw new StorageException(
              "job " + job.id() + " was not inserted: a job with that id already exists");
        }
        out[slots.get(k)] = new InsertOutcome(holder, true);
        continue;
      }
      out[slots.get(k)] = new InsertOutcome(job, false);
      events.add(
          job.state() == JobState.AWAITING
              ? NewEvent.of(job, JobEvent.AWAITING, EventData.awaiting(job))
              : job.state() == JobState.SCHEDULED
                  ? NewEvent.of(
                      job,
                      JobEvent.SCHEDULED,
                      EventData.scheduled(job, job.scheduledAt(), "scheduled"))
                  : NewEvent.of(job, JobEvent.ENQUEUED, EventData.enqueued(job, "enqueued")));
    }
    EventLog.append(c, dialect, events, now);
    deps.inserted(c, jobs, out, serverId, now); // awaiting jobs whose parents already finished
    return List.of(out);
  }

  private static Job newJob(NewJob nj, Instant now, String serverId) {
    if (nj.id() == null || nj.type() == null || nj.queue() == null) {
      throw new IllegalArgumentException(
          "a new job needs an id, a type and a queue: id="
              + nj.id()
              + " type="
              + nj.type()
              + " queue="
              + nj.queue());
    }
    Instant due =
        nj.runAt() != null
            ? Instant.ofEpochMilli(nj.runAt().toEpochMilli())
            : nj.delay() != null ? now.plusMillis(nj.delay().toMillis()) : now;
    JobState state =
        !nj.flow().dependsOn().isEmpty()
            ? JobState.AWAITING
            : due.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
    return new Job(
        nj.id(),
        nj.type(),
        nj.queue(),
        nj.priority(),
        nj.argsJson() == null ? "{}" : nj.argsJson(),
        state,
        0,
        nj.maxAttempts(),
        due,
        now,
        null,
        null,
        nj.timeout() == null ? null : Duration.ofMillis(nj.timeout().toMillis()),
        null,
        null,
        List.of(),
        nj.owner(),
        nj.tags(),
        nj.uniqueKey(),
        List.of(new HistoryEntry(state, now, state.wireName(), serverId)),
        null,
        null,
        nj.resolvedFlow(now));
  }

  /** Inserts the jobs, skipping any that conflict; returns the ids that were inserted. */
  private Set<UUID> insertJobs(Connection c, List<Job> jobs) throws SQLException {
    Set<UUID> inserted = new HashSet<>();
    if (jobs.isEmpty()) return inserted;
    String j = dialect.jsonParam();
    String row =
        "(?, ?, ?, ?, "
            + j
            + ", ?, ?, ?, ?, ?, ?, ?, ?, "
            + j
            + ", "
            + j
            + ", "
            + j
            + ", ?, "
            + j
            + ", ?, "
            + j
            + ", ?, ?, "
            + j
            + ", ?, ?, ?, ?, ?)";
    for (List<Job> chunk : ValuesRows.chunks(jobs, ValuesRows.chunkSize(COLUMN_COUNT))) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + JOBS
                  + " ("
                  + COLUMNS
                  + ") VALUES "
                  + ValuesRows.rows(chunk.size(), row)
                  + " ON CONFLICT DO NOTHING RETURNING id")) {
        int i = 0;
        for (Job job : chunk) {
          ps.setString(i + 1, job.id().toString());
          ps.setString(i + 2, job.type());
          ps.setString(i + 3, job.queue());
          ps.setInt(i + 4, job.priority());
          ps.setString(i + 5, job.argsJson());
          ps.setString(i + 6, JobRows.wire(job.state()));
          ps.setInt(i + 7, job.attempt());
          ps.setInt(i + 8, job.maxAttempts());
          setMillis(ps, i + 9, job.scheduledAt());
          setMillis(ps, i + 10, job.createdAt());
          setMillis(ps, i + 11, job.startedAt());
          setMillis(ps, i + 12, job.finishedAt());
          setMillis(ps, i + 13, job.timeout());
          ps.setString(i + 14, JobCodec.progressToJson(job.progress()));
          ps.setString(i + 15, job.resultJson());
          ps.setString(i + 16, JobCodec.errorsToJson(job.errors()));
          ps.setString(i + 17, job.owner());
          ps.setString(i + 18, JobCodec.tagsToJson(job.tags()));
          ps.setString(i + 19, job.uniqueKey());
          ps.setString(i + 20, JobCodec.historyToJson(job.history()));
          ps.setString(i + 21, job.leaseOwner());
          setMillis(ps, i + 22, job.leaseExpiresAt());
          JobFlow flow = job.flow();
          ps.setString(i + 23, JobCodec.idsToJson(flow.dependsOn()));
          ps.setString(
              i + 24, flow.onParentFailure() == null ? null : flow.onParentFailure().wireName());
          ps.setString(i + 25, flow.batchId() == null ? null : flow.batchId().toString());
          ps.setString(i + 26, flow.concurrencyKey());
          setMillis(ps, i + 27, flow.uniqueUntil());
          setMillis(ps, i + 28, flow.startBy());
          i += COLUMN_COUNT;
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) inserted.add(UUID.fromString(rs.getString(1)));
        }
      }
    }
    return inserted;
  }

  /**
   * The jobs holding the unique keys of {@code jobs}, by key: the live job with the key, else the
   * job (in any state) that holds it for a period not over yet ({@code unique_until > now}).
   */
  private Map<String, Job> holders(Connection c, List<NewJob> jobs, Instant now)
      throws SQLException {
    Set<String> keys = new LinkedHashSet<>();
    for (NewJob nj : jobs) if (nj.uniqueKey() != null) keys.add(nj.uniqueKey());
    Map<String, Job> out = new HashMap<>();
    if (keys.isEmpty()) return out;
    // Two arms, not one OR: each arm's predicate implies one partial index's (live: unique_live;
    // period: unique_period), so each is a seek; "live OR unique_until > ?" implies neither, and
    // SQLite scanned the whole jobs table for it. A job in both arms is merged below. Each key is
    // bound twice, so keys go in chunks that keep the statement within the parameter bounds.
    for (List<String> chunk : ValuesRows.chunks(List.copyOf(keys), ValuesRows.chunkSize(2))) {
      String byKey =
          "SELECT "
              + COLUMNS
              + " FROM "
              + JOBS
              + " WHERE unique_key IN ("
              + marks(chunk.size())
              + ")";
      try (PreparedStatement ps =
          c.prepareStatement(
              byKey
                  + " AND "
                  + LIVE
                  + " UNION ALL "
                  + byKey
                  + " AND unique_until IS NOT NULL AND unique_until > ?")) {
        int i = 1;
        for (String k : chunk) ps.setString(i++, k);
        for (String k : chunk) ps.setString(i++, k);
        ps.setLong(i, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Job job = JobRows.job(rs);
            out.merge(job.uniqueKey(), job, JobInserter::stronger);
          }
        }
      }
    }
    return out;
  }

  /** Of two holders of one key, the live one, else the one holding it longer. */
  private static Job stronger(Job a, Job b) {
    boolean aLive = !a.state().isFinished();
    boolean bLive = !b.state().isFinished();
    if (aLive != bLive) return aLive ? a : b;
    Instant ua = a.flow().uniqueUntil();
    Instant ub = b.flow().uniqueUntil();
    if (ua == null) return b;
    if (ub == null) return a;
    return ua.isBefore(ub) ? b : a;
  }

  /** The live job holding {@code key}, or null. */
  static Job liveHolder(Connection c, String key) throws SQLException {
    if (key == null) return null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM " + JOBS + " WHERE unique_key = ? AND " + LIVE)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JobRows.job(rs) : null;
      }
    }
  }
}
