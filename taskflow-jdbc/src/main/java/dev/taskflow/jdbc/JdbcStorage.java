package dev.taskflow.jdbc;

import static dev.taskflow.jdbc.JobRows.COLUMNS;
import static dev.taskflow.jdbc.JobRows.EVENTS;
import static dev.taskflow.jdbc.JobRows.EVENT_COLUMNS;
import static dev.taskflow.jdbc.JobRows.JOBS;
import static dev.taskflow.jdbc.JobRows.QUEUES;
import static dev.taskflow.jdbc.JobRows.marks;

import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobState;
import dev.taskflow.ServerInfo;
import dev.taskflow.StorageException;
import dev.taskflow.jdbc.JobMeta.NewEvent;
import dev.taskflow.spi.CursorStore;
import dev.taskflow.spi.EventAppendParams;
import dev.taskflow.spi.EventData;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.FlowStore;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.JobExpireParams;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobHeartbeatParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.JobProgressParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.JobRetentionParams;
import dev.taskflow.spi.LeaderParams;
import dev.taskflow.spi.LimitStore;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.QueueStats;
import dev.taskflow.spi.RecurringStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.WebhookStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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

  private final SqlDialect dialect;
  private final AttemptWriter attempts;
  private final JobInserter inserter;
  private final UserChanges changes;
  private final QueueRegistry queues;
  private final QueueBounds bounds;
  private final JobExpiry expiry;
  private final LimitedClaim limited;
  private final String appendHistory;
  private final Optional<WebhookStore> webhookStore;
  private final Optional<LimitStore> limitStore;
  private final Optional<RecurringStore> recurringStore;
  private final Optional<FlowStore> flowStore;
  private final Optional<CursorStore> cursorStore;
  private final ReentrantLock openLock = new ReentrantLock();
  private volatile boolean opened; // guarded by openLock

  protected JdbcStorage(SqlDialect dialect) {
    this.dialect = dialect;
    this.attempts = new AttemptWriter(dialect);
    this.inserter = new JobInserter(dialect);
    this.changes = new UserChanges(dialect);
    this.queues = new QueueRegistry(dialect);
    this.bounds = new QueueBounds(dialect);
    this.expiry = new JobExpiry(dialect);
    this.limited = new LimitedClaim(dialect);
    this.appendHistory = "history = " + dialect.jsonArrayAppend("history", "?");
    // Every feature, on the same connections and transactions (the Jdbc*Store classes).
    this.webhookStore = Optional.of(new JdbcWebhookStore(this));
    this.limitStore = Optional.of(new JdbcLimitStore(this, limited));
    this.recurringStore = Optional.of(new JdbcRecurringStore(this, dialect));
    this.flowStore = Optional.of(new JdbcFlowStore(this, dialect));
    this.cursorStore = Optional.of(new JdbcCursorStore(this));
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

  /**
   * The store clock's now at this point of the transaction, for work that waited for a lock first
   * (a limited claim): by default {@link #transactionNow}; a database whose transaction time stays
   * at the transaction's start overrides it with the statement's time.
   */
  protected Instant currentNow(Connection c) throws SQLException {
    return transactionNow(c);
  }

  /** The migrations of this store's schema. */
  protected abstract MigrationRunner migrationRunner();

  /**
   * Brings the schema up to date inside the open transaction; returns how many migrations ran. A
   * store told never to migrate overrides it to only check that none is pending.
   */
  protected int migrateSchema(Connection c) throws SQLException {
    return migrationRunner().migrate(c);
  }

  /** Opens connections; called by {@link #open()} before migrating. */
  protected void connect() throws SQLException {}

  protected final SqlDialect dialect() {
    return dialect;
  }

  /** Connects and migrates the schema; later calls return at once. */
  @Override
  public void open() {
    if (opened) return;
    openLock.lock();
    try {
      if (opened) return;
      connect();
      inWriteTransaction(this::migrateSchema);
      opened = true;
    } catch (SQLException | RuntimeException e) {
      if (e instanceof StorageException se) throw se;
      throw new StorageException("opening " + this + " failed: " + e.getMessage(), e);
    } finally {
      openLock.unlock();
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
        c -> insertBounded(c, jobs, p.serverId()));
  }

  /** Inserts within the queues' depth bounds: a batch past one throws, and rolls back. */
  List<InsertOutcome> insertBounded(Connection c, List<NewJob> jobs, String serverId)
      throws SQLException {
    Map<String, Integer> bound = bounds.lock(c, jobs);
    List<InsertOutcome> out = inserter.insertMany(c, jobs, serverId, transactionNow(c));
    bounds.check(c, bound, out);
    return out;
  }

  /**
   * Inserts jobs that no queue's depth bound refuses (recurring fires, cursor advances, batch
   * callbacks), in the caller's transaction.
   */
  List<InsertOutcome> insertUnbounded(Connection c, List<NewJob> jobs, String serverId, Instant now)
      throws SQLException {
    return inserter.insertMany(c, jobs, serverId, now);
  }

  @Override
  public Optional<Job> jobGet(UUID id) {
    return read(() -> "jobGet of job " + id, c -> Optional.ofNullable(JobRows.select(c, id, "")));
  }

  @Override
  public List<Job> jobList(JobListParams p) {
    if (p.limit() <= 0) return List.of();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + JOBS + " WHERE ");
    List<Object> args = new ArrayList<>();
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
    filter(sql, args, "created_at >= ?", millis(p.createdAfter()));
    filter(sql, args, "created_at < ?", millis(p.createdBefore()));
    filter(sql, args, dialect.textContains("args"), likeContains(p.text()));
    sql.append(" ORDER BY id DESC LIMIT ?");
    return read(
        () -> "jobList " + p,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Object a : args) {
              if (a instanceof Long l) ps.setLong(i++, l);
              else ps.setString(i++, (String) a);
            }
            ps.setInt(i, p.limit());
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) out.add(JobRows.job(rs));
            }
            return out;
          }
        });
  }

  private static void filter(StringBuilder sql, List<Object> args, String predicate, Object v) {
    if (v == null) return;
    sql.append(" AND ").append(predicate);
    args.add(v);
  }

  private static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  /**
   * A LIKE pattern matching {@code text} anywhere, with {@code \}, {@code %}, {@code _} literal.
   */
  static String likeContains(String text) {
    if (text == null) return null;
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
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
          List<FlowLimit> limits = limited.applicable(c, p);
          if (!limits.isEmpty()) {
            LimitedClaim.Claimed claimed = limited.claim(c, p, limits, this::currentNow);
            appendStarted(c, p, claimed.jobs(), claimed.now());
            return claimed.jobs();
          }
          // One statement: pick in claim order (skipping rows other claimers hold) and mark.
          Instant now = transactionNow(c);
          ClaimCandidates.Select pick = ClaimCandidates.select(dialect, p, now);
          if (pick == null) return List.of();
          List<Job> claimed = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  ClaimCandidates.markProcessing(dialect)
                      + dialect.inSubquery("id", pick.sql())
                      + " AND NOT EXISTS (SELECT 1 FROM "
                      + QUEUES
                      + " WHERE name = ? AND paused = ?) RETURNING "
                      + COLUMNS)) {
            int i = ClaimCandidates.bindLease(ps, p, now);
            for (Object a : pick.args()) {
              if (a instanceof Integer n) ps.setInt(i++, n);
              else if (a instanceof Long n) ps.setLong(i++, n);
              else ps.setString(i++, (String) a);
            }
            ps.setString(i++, p.queue());
            ps.setBoolean(i, true);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) claimed.add(JobRows.job(rs));
            }
          }
          claimed.sort(ClaimCandidates.ORDER);
          appendStarted(c, p, claimed, now);
          return claimed;
        });
  }

  private void appendStarted(Connection c, JobClaimParams p, List<Job> claimed, Instant now)
      throws SQLException {
    List<NewEvent> events = new ArrayList<>(claimed.size());
    for (Job job : claimed) {
      events.add(NewEvent.of(job, JobEvent.STARTED, EventData.started(job, p.leaseOwner())));
    }
    EventLog.append(c, dialect, events, now);
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
                      EventData.progress(p.lease().attempt(), p.progress()));
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
  public int jobExpireDue(JobExpireParams p) {
    if (p.limit() <= 0) return 0;
    return write(
        () -> "jobExpireDue by server " + p.serverId(),
        c -> expiry.expire(c, p, transactionNow(c)));
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
                      + " WHERE state = 'scheduled' AND "
                      + dialect.inSubquery(
                          "id",
                          "SELECT id FROM "
                              + JOBS
                              + " WHERE state = 'scheduled' AND scheduled_at <= ?"
                              + " ORDER BY scheduled_at, id LIMIT ?"
                              + dialect.lockSkipLocked())
                      + " RETURNING "
                      + JobMeta.COLUMNS)) {
            ps.setString(1, JobRows.historyJson(JobState.ENQUEUED, now, "due", p.serverId()));
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
        c -> changes.change(c, p, transactionNow(c)));
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
    return write(() -> "jobRetentionDelete " + p, c -> changes.retention(c, cutoffs, p.limit()));
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  @Override
  public JobEvent eventAppend(EventAppendParams p) {
    return write(
        () -> "eventAppend of '" + p.type() + "' for job " + p.jobId(),
        c -> {
          Instant now = transactionNow(c);
          EventLog.lock(c, dialect);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + EVENTS
                      + " (job_id, type, time, job_type, queue, owner, data) SELECT id, ?, ?,"
                      + " type, queue, owner, "
                      + dialect.jsonParam()
                      + " FROM "
                      + JOBS
                      + " WHERE id = ?"
                      + (p.lease() == null
                          ? ""
                          : " AND attempt = ? AND lease_owner = ? AND state = 'processing'")
                      + " RETURNING "
                      + EVENT_COLUMNS)) {
            ps.setString(1, p.type());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, p.dataJson() == null ? "{}" : p.dataJson());
            ps.setString(4, p.jobId().toString());
            if (p.lease() != null) {
              ps.setInt(5, p.lease().attempt());
              ps.setString(6, p.lease().leaseOwner());
            }
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) return JobRows.event(rs);
            }
          }
          // Nothing inserted: tell a lost lease (null) from a job that does not exist.
          if (p.lease() == null || !jobExists(c, p.jobId())) {
            throw new JobNotFoundException(p.jobId());
          }
          return null;
        });
  }

  private static boolean jobExists(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + JOBS + " WHERE id = ?")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
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
    write(() -> "queuePause of queue '" + queue + "'", c -> queues.setPaused(c, queue, true));
  }

  @Override
  public void queueResume(String queue) {
    write(() -> "queueResume of queue '" + queue + "'", c -> queues.setPaused(c, queue, false));
  }

  @Override
  public void queueSetMaxDepth(String queue, Integer maxDepth) {
    write(
        () -> "queueSetMaxDepth of queue '" + queue + "' to " + maxDepth,
        c -> bounds.setMaxDepth(c, queue, maxDepth));
  }

  @Override
  public List<QueueStats> queueStats() {
    return read(() -> "queueStats", queues::stats);
  }

  @Override
  public Map<JobState, Long> jobCountByState() {
    return read(() -> "jobCountByState", queues::countByState);
  }

  @Override
  public void serverHeartbeat(ServerInfo s) {
    write(
        () -> "serverHeartbeat of server " + s.id(),
        c -> queues.heartbeat(c, s, transactionNow(c)));
  }

  @Override
  public List<ServerInfo> serverList(Instant since) {
    return read(() -> "serverList", c -> queues.servers(c, since));
  }

  @Override
  public void serverRemove(String serverId) {
    write(() -> "serverRemove of server " + serverId, c -> queues.remove(c, serverId));
  }

  @Override
  public boolean leaderTryAcquire(LeaderParams p) {
    return write(
        () -> "leaderTryAcquire of '" + p.name() + "' by " + p.owner(),
        c -> LeaderLease.tryAcquire(c, p, transactionNow(c)));
  }

  @Override
  public void leaderRelease(String name, String owner) {
    write(
        () -> "leaderRelease of '" + name + "' by " + owner,
        c -> LeaderLease.release(c, name, owner));
  }

  // ---------------------------------------------------------------------------------------------
  // Features: every one, each a Jdbc*Store on this store's transactions

  @Override
  public Optional<WebhookStore> webhooks() {
    return webhookStore;
  }

  @Override
  public Optional<LimitStore> limits() {
    return limitStore;
  }

  @Override
  public Optional<RecurringStore> recurring() {
    return recurringStore;
  }

  @Override
  public Optional<FlowStore> flows() {
    return flowStore;
  }

  @Override
  public Optional<CursorStore> cursors() {
    return cursorStore;
  }

  /**
   * Inserts jobs on a connection whose transaction the caller owns (auto-commit off); does not
   * commit. For stores that implement {@link dev.taskflow.spi.TransactionalStorage}.
   */
  protected final List<InsertOutcome> jobInsertManyOn(Connection c, JobInsertManyParams p) {
    List<NewJob> jobs = p.jobs();
    if (jobs.isEmpty()) return List.of();
    try {
      return insertBounded(c, jobs, p.serverId());
    } catch (SQLException e) {
      throw wrap(
          () ->
              "jobInsertManyIn (the caller's transaction) of "
                  + jobs.size()
                  + " job(s), first "
                  + jobs.getFirst().id(),
          e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

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
