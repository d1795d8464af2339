package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COLUMNS;
import static dev.taskflow.jdbc.JobRows.COUNTS;
import static dev.taskflow.jdbc.JobRows.EVENTS;
import static dev.taskflow.jdbc.JobRows.EVENT_COLUMNS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.LIVE;
import static dev.taskflow.jdbc.JobRows.QUEUES;
import static dev.taskflow.jdbc.JobRows.SERVERS;
import static dev.taskflow.jdbc.JobRows.marks;
import static dev.taskflow.jdbc.JobRows.setMillis;

import dev.taskflow.HistoryEntry;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobState;
import dev.taskflow.JobTransitions;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.Storage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;

/**
 * The storage SPI over JDBC: the SQL flow of every operation, shared by every SQL database. A
 * subclass supplies connections and transactions ({@link #inWriteTransaction}, {@link
 * #inReadConnection}), the transaction's notion of now ({@link #transactionNow}), the migrations
 * and a {@link SqlDialect} for the few fragments that differ.
 *
 * <p>Every {@link SQLException} is wrapped here, once, in a {@link StorageException} that names the
 * operation and the job where there is one.
 */
public abstract class JdbcStorage implements Storage {

  /** Work on a connection; the caller owns the transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private static final TypeReference<LinkedHashMap<String, Integer>> QUEUE_MAP =
      new TypeReference<>() {};

  private final SqlDialect dialect;
  private final AttemptWriter attempts;
  private final String appendHistory;
  private final AtomicBoolean opened = new AtomicBoolean();

  protected JdbcStorage(SqlDialect dialect) {
    this.dialect = dialect;
    this.attempts = new AttemptWriter(dialect);
    this.appendHistory = "history = " + dialect.jsonArrayAppend("history", "?");
  }

  /**
   * Runs {@code work} in one write transaction and commits it; rolls back when {@code work} throws.
   * A store that allows one writer serialises these calls.
   */
  protected abstract <T> T inWriteTransaction(SqlWork<T> work) throws SQLException;

  /** Runs {@code work} on a connection that sees every committed write, for reading. */
  protected abstract <T> T inReadConnection(SqlWork<T> work) throws SQLException;

  /** The store clock's now for a transaction, in whole milliseconds. */
  protected abstract Instant transactionNow(Connection c) throws SQLException;

  /** The migrations of this store's schema. */
  protected abstract MigrationRunner migrationRunner();

  /** Opens connections; called by {@link #open()} before migrating. */
  protected void connect() throws SQLException {}

  protected final SqlDialect dialect() {
    return dialect;
  }

  @Override
  public void open() {
    if (!opened.compareAndSet(false, true)) return;
    try {
      connect();
      inWriteTransaction(c -> migrationRunner().migrate(c));
    } catch (SQLException | RuntimeException e) {
      opened.set(false);
      if (e instanceof StorageException se) throw se;
      throw new StorageException("opening " + this + " failed: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Jobs: insert and read

  @Override
  public List<InsertOutcome> jobInsertMany(JobInsertManyParams p) {
    List<NewJob> jobs = p.jobs();
    if (jobs.isEmpty()) return List.of();
    return write(
        () -> "jobInsertMany of " + jobs.size() + " job(s), first " + jobs.getFirst().id(),
        c -> {
          Set<UUID> ids = new HashSet<>();
          for (NewJob nj : jobs) {
            if (nj.id() != null && !ids.add(nj.id())) {
              throw new StorageException(
                  "job id " + nj.id() + " (type " + nj.type() + ") appears twice in one batch");
            }
          }
          Instant now = transactionNow(c);
          Map<String, Job> holders = liveHolders(c, jobs);
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
            Job job = newJob(nj, now, p.serverId());
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
                job.state() == JobState.SCHEDULED
                    ? NewEvent.of(
                        job,
                        JobEvent.SCHEDULED,
                        EventData.scheduled(job, job.scheduledAt(), "scheduled"))
                    : NewEvent.of(job, JobEvent.ENQUEUED, EventData.enqueued(job, "enqueued")));
          }
          EventLog.append(c, dialect, events, now);
          return List.of(out);
        });
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
    JobState state = due.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
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
        nj.timeout() == null ? null : java.time.Duration.ofMillis(nj.timeout().toMillis()),
        null,
        null,
        List.of(),
        nj.owner(),
        nj.tags(),
        nj.uniqueKey(),
        List.of(new HistoryEntry(state, now, state.wireName(), serverId)),
        null,
        null);
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
            + ", ?, ?)";
    for (List<Job> chunk : ValuesRows.chunks(jobs, ValuesRows.chunkSize(22))) {
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
          i += 22;
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) inserted.add(UUID.fromString(rs.getString(1)));
        }
      }
    }
    return inserted;
  }

  /** The live jobs holding the unique keys of {@code jobs}, by key. */
  private Map<String, Job> liveHolders(Connection c, List<NewJob> jobs) throws SQLException {
    Set<String> keys = new LinkedHashSet<>();
    for (NewJob nj : jobs) if (nj.uniqueKey() != null) keys.add(nj.uniqueKey());
    Map<String, Job> out = new HashMap<>();
    if (keys.isEmpty()) return out;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + JOBS
                + " WHERE unique_key IN ("
                + marks(keys.size())
                + ") AND "
                + LIVE)) {
      int i = 1;
      for (String k : keys) ps.setString(i++, k);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Job job = JobRows.job(rs);
          out.put(job.uniqueKey(), job);
        }
      }
    }
    return out;
  }

  private Job liveHolder(Connection c, String key) throws SQLException {
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

  @Override
  public Optional<Job> jobGet(UUID id) {
    return read(() -> "jobGet of job " + id, c -> Optional.ofNullable(selectJob(c, id, "")));
  }

  private Job selectJob(Connection c, UUID id, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM " + JOBS + " WHERE id = ?" + lock)) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JobRows.job(rs) : null;
      }
    }
  }

  @Override
  public List<Job> jobList(JobListParams p) {
    if (p.limit() <= 0) return List.of();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + JOBS + " WHERE ");
    List<String> args = new ArrayList<>();
    if (p.states().isEmpty()) {
      sql.append("state <> 'deleted'");
    } else {
      sql.append("state IN (").append(marks(p.states().size())).append(')');
      p.states().forEach(s -> args.add(s.wireName()));
    }
    filter(sql, args, "type = ?", p.type());
    filter(sql, args, "queue = ?", p.queue());
    filter(sql, args, "owner = ?", p.owner());
    filter(sql, args, dialect.jsonArrayContains("tags"), p.tag());
    filter(sql, args, "id < ?", p.beforeId() == null ? null : p.beforeId().toString());
    sql.append(" ORDER BY id DESC LIMIT ?");
    return read(
        () -> "jobList " + p,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String a : args) ps.setString(i++, a);
            ps.setInt(i, p.limit());
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) out.add(JobRows.job(rs));
            }
            return out;
          }
        });
  }

  private static void filter(StringBuilder sql, List<String> args, String predicate, String v) {
    if (v == null) return;
    sql.append(" AND ").append(predicate);
    args.add(v);
  }

  @Override
  public long jobQueuePosition(UUID id) {
    String ahead =
        "(SELECT count(*) FROM "
            + JOBS
            + " o WHERE o.state = 'enqueued' AND o.queue = j.queue AND ";
    String sql =
        "SELECT j.state, "
            + ahead
            + "o.priority > j.priority) + "
            + ahead
            + "o.priority = j.priority AND (o.scheduled_at, o.id) < (j.scheduled_at, j.id))"
            + " FROM "
            + JOBS
            + " j WHERE j.id = ?";
    return read(
        () -> "jobQueuePosition of job " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || !rs.getString(1).equals("enqueued")) return -1L;
              return rs.getLong(2);
            }
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts: claim, heartbeat, progress, finish, rescue, promote

  @Override
  public List<Job> jobClaim(JobClaimParams p) {
    if (p.max() <= 0) return List.of();
    return write(
        () -> "jobClaim of up to " + p.max() + " job(s) on queue '" + p.queue() + "'",
        c -> {
          if (isPaused(c, p.queue())) return List.of();
          List<String> ids = ClaimCandidates.select(c, dialect, p);
          if (ids.isEmpty()) return List.of();
          Instant now = transactionNow(c);
          List<Job> claimed = new ArrayList<>(ids.size());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + JOBS
                      + " SET state = 'processing', attempt = attempt + 1, lease_owner = ?,"
                      + " lease_expires_at = ?, started_at = ?, "
                      + appendHistory
                      + " WHERE state = 'enqueued' AND id IN ("
                      + marks(ids.size())
                      + ") RETURNING "
                      + COLUMNS)) {
            ps.setString(1, p.leaseOwner());
            ps.setLong(2, now.plus(p.leaseDuration()).toEpochMilli());
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, historyJson(JobState.PROCESSING, now, "claimed", p.leaseOwner()));
            int i = 5;
            for (String id : ids) ps.setString(i++, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) claimed.add(JobRows.job(rs));
            }
          }
          claimed.sort(ClaimCandidates.ORDER);
          List<NewEvent> events = new ArrayList<>(claimed.size());
          for (Job job : claimed) {
            events.add(NewEvent.of(job, JobEvent.STARTED, EventData.started(job, p.leaseOwner())));
          }
          EventLog.append(c, dialect, events, now);
          return claimed;
        });
  }

  private boolean isPaused(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT paused FROM " + QUEUES + " WHERE name = ?")) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  @Override
  public Set<UUID> jobHeartbeat(JobHeartbeatParams p) {
    List<JobLease> leases = p.leases();
    if (leases.isEmpty()) return Set.of();
    return write(
        () -> "jobHeartbeat of " + leases.size() + " lease(s), first job " + leases.getFirst().id(),
        c -> attempts.heartbeat(c, leases, transactionNow(c).plus(p.leaseDuration())));
  }

  @Override
  public Set<UUID> jobFinishMany(JobFinishManyParams p) {
    if (p.outcomes().isEmpty()) return Set.of();
    return write(
        () ->
            "jobFinishMany of "
                + p.outcomes().size()
                + " outcome(s), first job "
                + p.outcomes().getFirst().lease().id(),
        c -> attempts.finishMany(c, p.outcomes(), transactionNow(c)));
  }

  @Override
  public boolean jobProgress(JobProgressParams p) {
    JobLease l = p.lease();
    return write(
        () -> "jobProgress of job " + l.id(),
        c -> {
          Instant now = transactionNow(c);
          String progress = JobCodec.progressToJson(p.progress());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + JOBS
                      + " SET progress = "
                      + dialect.jsonParam()
                      + " WHERE id = ? AND attempt = ? AND lease_owner = ? AND state = 'processing'"
                      + " RETURNING type, queue, owner")) {
            ps.setString(1, progress);
            ps.setString(2, l.id().toString());
            ps.setInt(3, l.attempt());
            ps.setString(4, l.leaseOwner());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) return false;
              NewEvent e =
                  new NewEvent(
                      l.id(),
                      JobEvent.PROGRESS,
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      EventData.progress(p.progress()));
              EventLog.append(c, dialect, List.of(e), now);
              return true;
            }
          }
        });
  }

  @Override
  public int jobRescueExpired(JobRescueParams p) {
    if (p.limit() <= 0) return 0;
    return write(
        () -> "jobRescueExpired by server " + p.serverId(),
        c -> attempts.rescueExpired(c, p.serverId(), p.limit(), transactionNow(c)));
  }

  @Override
  public int jobPromoteDue(JobPromoteParams p) {
    if (p.limit() <= 0) return 0;
    return write(
        () -> "jobPromoteDue by server " + p.serverId(),
        c -> {
          Instant now = transactionNow(c);
          List<NewEvent> events = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + JOBS
                      + " SET state = 'enqueued', "
                      + appendHistory
                      + " WHERE state = 'scheduled' AND id IN (SELECT id FROM "
                      + JOBS
                      + " WHERE state = 'scheduled' AND scheduled_at <= ?"
                      + " ORDER BY scheduled_at, id LIMIT ?"
                      + dialect.lockSkipLocked()
                      + ") RETURNING "
                      + JobMeta.COLUMNS)) {
            ps.setString(1, historyJson(JobState.ENQUEUED, now, "due", p.serverId()));
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, p.limit());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                JobMeta m = JobMeta.read(rs);
                events.add(
                    m.event(
                        JobEvent.ENQUEUED,
                        EventData.enqueued(m.stub(JobState.ENQUEUED, m.attempt()), "due")));
              }
            }
          }
          EventLog.append(c, dialect, events, now);
          return events.size();
        });
  }

  // ---------------------------------------------------------------------------------------------
  // A user's changes, retention

  @Override
  public Job jobChangeState(JobChangeStateParams p) {
    return write(
        () -> "jobChangeState " + p.action() + " of job " + p.id(),
        c -> {
          Job job = selectJob(c, p.id(), dialect.lockForUpdate());
          if (job == null) throw new JobNotFoundException(p.id());
          Instant now = transactionNow(c);
          return switch (p.action()) {
            case CANCEL -> cancelOrDelete(c, job, p, now, JobState.CANCELLED, "cancel");
            case DELETE -> cancelOrDelete(c, job, p, now, JobState.DELETED, "delete");
            case RETRY -> retry(c, job, p, now);
          };
        });
  }

  private Job cancelOrDelete(
      Connection c, Job job, JobChangeStateParams p, Instant now, JobState to, String action)
      throws SQLException {
    JobTransitions.check(job.id(), job.state(), to, action);
    String reason =
        AttemptWriter.reason(
            p.reason(), to == JobState.CANCELLED ? "cancelled by user" : "deleted by user");
    Job changed =
        updateOne(
            c,
            job,
            "state = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL",
            ps -> {
              ps.setString(1, to.wireName());
              ps.setLong(2, now.toEpochMilli());
              return 3;
            },
            historyJson(to, now, reason, p.serverId()));
    String data =
        to == JobState.CANCELLED
            ? EventData.cancelled(changed, reason)
            : EventData.deleted(changed, reason);
    String type = to == JobState.CANCELLED ? JobEvent.CANCELLED : JobEvent.DELETED;
    EventLog.append(c, dialect, List.of(NewEvent.of(changed, type, data)), now);
    return changed;
  }

  private Job retry(Connection c, Job job, JobChangeStateParams p, Instant now)
      throws SQLException {
    JobTransitions.check(job.id(), job.state(), JobState.ENQUEUED, "retry");
    Job holder = liveHolder(c, job.uniqueKey());
    if (holder != null) {
      // Retrying would give the unique key two live jobs; the live one must finish first.
      throw new IllegalTransitionException(
          job.id(),
          job.state(),
          "retry",
          "unique key '" + job.uniqueKey() + "' is held by live job " + holder.id());
    }
    String reason = AttemptWriter.reason(p.reason(), "retried by user");
    Job changed =
        updateOne(
            c,
            job,
            "state = 'enqueued', scheduled_at = ?, finished_at = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL, max_attempts = ?",
            ps -> {
              ps.setLong(1, now.toEpochMilli());
              ps.setInt(2, Math.max(job.maxAttempts(), job.attempt() + 1));
              return 3;
            },
            historyJson(JobState.ENQUEUED, now, reason, p.serverId()));
    EventLog.append(
        c,
        dialect,
        List.of(NewEvent.of(changed, JobEvent.ENQUEUED, EventData.enqueued(changed, reason))),
        now);
    return changed;
  }

  private interface Binder {
    int bind(PreparedStatement ps) throws SQLException;
  }

  /** Updates one job whose state was read in this transaction; returns the new row. */
  private Job updateOne(Connection c, Job job, String set, Binder binder, String history)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + JOBS
                + " SET "
                + set
                + ", "
                + appendHistory
                + " WHERE id = ? AND state = ? RETURNING "
                + COLUMNS)) {
      int i = binder.bind(ps);
      ps.setString(i, history);
      ps.setString(i + 1, job.id().toString());
      ps.setString(i + 2, job.state().wireName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StorageException(
              "job " + job.id() + " changed state while it was being updated; try again");
        }
        return JobRows.job(rs);
      }
    }
  }

  @Override
  public int jobRetentionDelete(JobRetentionParams p) {
    if (p.limit() <= 0) return 0;
    Map<JobState, Instant> cutoffs = new EnumMap<>(JobState.class);
    if (p.completedBefore() != null) cutoffs.put(JobState.COMPLETED, p.completedBefore());
    if (p.failedBefore() != null) cutoffs.put(JobState.FAILED, p.failedBefore());
    if (p.cancelledBefore() != null) cutoffs.put(JobState.CANCELLED, p.cancelledBefore());
    if (p.deletedBefore() != null) cutoffs.put(JobState.DELETED, p.deletedBefore());
    if (cutoffs.isEmpty()) return 0;
    return write(
        () -> "jobRetentionDelete " + p,
        c -> {
          int deleted = 0;
          // Events go with their job (ON DELETE CASCADE); the counters follow by trigger.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM "
                      + JOBS
                      + " WHERE id IN (SELECT id FROM "
                      + JOBS
                      + " WHERE state = ? AND finished_at < ? ORDER BY finished_at LIMIT ?)")) {
            for (Map.Entry<JobState, Instant> e : cutoffs.entrySet()) {
              if (deleted >= p.limit()) break;
              ps.setString(1, e.getKey().wireName());
              ps.setLong(2, e.getValue().toEpochMilli());
              ps.setInt(3, p.limit() - deleted);
              deleted += ps.executeUpdate();
            }
          }
          return deleted;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  @Override
  public JobEvent eventAppend(EventAppendParams p) {
    return write(
        () -> "eventAppend of '" + p.type() + "' for job " + p.jobId(),
        c -> {
          Instant now = transactionNow(c);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + EVENTS
                      + " (job_id, type, time, job_type, queue, owner, data) SELECT id, ?, ?,"
                      + " type, queue, owner, "
                      + dialect.jsonParam()
                      + " FROM "
                      + JOBS
                      + " WHERE id = ? RETURNING "
                      + EVENT_COLUMNS)) {
            ps.setString(1, p.type());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, p.dataJson() == null ? "{}" : p.dataJson());
            ps.setString(4, p.jobId().toString());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) throw new JobNotFoundException(p.jobId());
              return JobRows.event(rs);
            }
          }
        });
  }

  @Override
  public List<JobEvent> eventsSince(EventsSinceParams p) {
    if (p.limit() <= 0) return List.of();
    String sql =
        "SELECT "
            + EVENT_COLUMNS
            + " FROM "
            + EVENTS
            + " WHERE seq > ?"
            + (p.jobId() == null ? "" : " AND job_id = ?")
            + " ORDER BY seq LIMIT ?";
    return read(
        () -> "eventsSince " + p.afterSeq() + (p.jobId() == null ? "" : " of job " + p.jobId()),
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, p.afterSeq());
            if (p.jobId() != null) ps.setString(i++, p.jobId().toString());
            ps.setInt(i, p.limit());
            List<JobEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) out.add(JobRows.event(rs));
            }
            return out;
          }
        });
  }

  @Override
  public long eventLatestSeq() {
    return read(
        () -> "eventLatestSeq",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM " + EVENTS);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Queues, counters, servers

  @Override
  public void queuePause(String queue) {
    setPaused(queue, true);
  }

  @Override
  public void queueResume(String queue) {
    setPaused(queue, false);
  }

  private void setPaused(String queue, boolean paused) {
    write(
        () -> (paused ? "queuePause" : "queueResume") + " of queue '" + queue + "'",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + QUEUES
                      + " (name, paused) VALUES (?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET paused = excluded.paused")) {
            ps.setString(1, queue);
            ps.setBoolean(2, paused);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<QueueStats> queueStats() {
    return read(
        () -> "queueStats",
        c -> {
          Map<String, Map<JobState, Long>> counts = new TreeMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT queue, state, n FROM " + COUNTS + " WHERE n > 0");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts
                  .computeIfAbsent(rs.getString(1), q -> zeroCounts())
                  .put(JobRows.state(rs.getString(2)), rs.getLong(3));
            }
          }
          Set<String> paused = new LinkedHashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT name FROM " + QUEUES + " WHERE paused = ?")) {
            ps.setBoolean(1, true);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) paused.add(rs.getString(1));
            }
          }
          paused.forEach(q -> counts.computeIfAbsent(q, k -> zeroCounts()));
          List<QueueStats> out = new ArrayList<>();
          for (Map.Entry<String, Map<JobState, Long>> e : counts.entrySet()) {
            Instant oldest =
                e.getValue().getOrDefault(JobState.ENQUEUED, 0L) > 0
                    ? oldestEnqueued(c, e.getKey())
                    : null;
            out.add(new QueueStats(e.getKey(), e.getValue(), oldest, paused.contains(e.getKey())));
          }
          return out;
        });
  }

  /**
   * The earliest scheduledAt among a queue's enqueued jobs. The claim index leads with priority, so
   * this walks the distinct priorities (at most 201) and takes the first entry of each: index seeks
   * only, never a scan of the backlog.
   */
  private Instant oldestEnqueued(Connection c, String queue) throws SQLException {
    String enq = " FROM " + JOBS + " WHERE state = 'enqueued' AND queue = ?";
    String sql =
        "WITH RECURSIVE p(pr) AS (SELECT max(priority)"
            + enq
            + " UNION ALL SELECT (SELECT max(priority)"
            + enq
            + " AND priority < p.pr) FROM p WHERE p.pr IS NOT NULL)"
            + " SELECT min((SELECT min(scheduled_at)"
            + enq
            + " AND priority = p.pr)) FROM p WHERE p.pr IS NOT NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      ps.setString(3, queue);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JobRows.instant(rs, 1) : null;
      }
    }
  }

  /** Every state with 0, so readers need no null checks. */
  private static Map<JobState, Long> zeroCounts() {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, 0L);
    return m;
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return read(
        () -> "jobCountByState",
        c -> {
          Map<JobState, Long> out = zeroCounts();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT state, sum(n) FROM " + COUNTS + " GROUP BY state");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(JobRows.state(rs.getString(1)), rs.getLong(2));
          }
          return out;
        });
  }

  @Override
  public void serverHeartbeat(ServerInfo s) {
    write(
        () -> "serverHeartbeat of server " + s.id(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + SERVERS
                      + " (id, host, started_at, last_heartbeat_at, queues, running)"
                      + " VALUES (?, ?, ?, ?, "
                      + dialect.jsonParam()
                      + ", ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host,"
                      + " started_at = excluded.started_at,"
                      + " last_heartbeat_at = excluded.last_heartbeat_at,"
                      + " queues = excluded.queues, running = excluded.running")) {
            ps.setString(1, s.id());
            ps.setString(2, s.host());
            setMillis(ps, 3, s.startedAt());
            ps.setLong(4, transactionNow(c).toEpochMilli());
            ps.setString(5, JobCodec.MAPPER.writeValueAsString(new TreeMap<>(s.queues())));
            ps.setInt(6, s.running());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return read(
        () -> "serverList",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, host, started_at, last_heartbeat_at, queues, running FROM "
                      + SERVERS
                      + " WHERE last_heartbeat_at >= ? ORDER BY id")) {
            ps.setLong(1, since.toEpochMilli());
            List<ServerInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ServerInfo(
                        rs.getString(1),
                        rs.getString(2),
                        JobRows.instant(rs, 3),
                        JobRows.instant(rs, 4),
                        JobCodec.MAPPER.readValue(rs.getString(5), QUEUE_MAP),
                        rs.getInt(6)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public void serverRemove(String serverId) {
    write(
        () -> "serverRemove of server " + serverId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM " + SERVERS + " WHERE id = ?")) {
            ps.setString(1, serverId);
            return ps.executeUpdate();
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private static String historyJson(JobState state, Instant at, String reason, String server) {
    return JobCodec.historyToNode(new HistoryEntry(state, at, reason, server)).toString();
  }

  /** Runs a write transaction; wraps a driver failure once, naming the operation. */
  protected final <T> T write(Supplier<String> what, SqlWork<T> work) {
    try {
      return inWriteTransaction(work);
    } catch (SQLException e) {
      throw wrap(what, e);
    }
  }

  /** Runs a read; wraps a driver failure once, naming the operation. */
  protected final <T> T read(Supplier<String> what, SqlWork<T> work) {
    try {
      return inReadConnection(work);
    } catch (SQLException e) {
      throw wrap(what, e);
    }
  }

  private StorageException wrap(Supplier<String> what, SQLException e) {
    return new StorageException(what.get() + " failed on " + this + ": " + e.getMessage(), e);
  }
}
