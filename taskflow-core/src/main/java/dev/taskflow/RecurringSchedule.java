package dev.taskflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;

/**
 * A recurring schedule: when to fire (a cron expression in a time zone, or a fixed interval) and
 * the job each fire enqueues. Saved with {@link Recurring#put}, which replaces the schedule with
 * the same id (upsert), so an application may put its schedules at every start.
 *
 * {@snippet :
 * RecurringSchedule nightly = RecurringSchedule.cron("nightly-report", "0 3 * * *")
 *     .zone("Europe/Berlin")
 *     .job("report.build", "{\"scope\":\"all\"}")
 *     .queue("reports")
 *     .overlap(RecurringSchedule.Overlap.SKIP)
 *     .build();
 * taskflow.recurring().put(nightly);
 * }
 *
 * @param id the schedule's id: letters, digits and {@code _ . : -}, 1..{@value #MAX_ID_LENGTH}
 *     characters
 * @param cron a cron expression (5 fields, or 6 with seconds first; {@code @hourly}-style macros),
 *     or null when {@code every} is set
 * @param every a fixed interval, or null when {@code cron} is set; fires at whole multiples of it
 *     since the Unix epoch (every {@code PT15M}: at :00, :15, :30, :45)
 * @param zone the time zone the cron expression is read in (default UTC)
 * @param job the job each fire enqueues; of its options only queue, priority, maxAttempts, timeout,
 *     owner and tags may be set (each fire gets its own unique key)
 * @param misfire what to do with fire times missed by more than the misfire grace (downtime)
 * @param misfireLimit how many missed fires {@link Misfire#RUN_ALL} runs at most (the latest ones),
 *     1..{@value #MAX_MISFIRE_LIMIT}
 * @param overlap whether a fire may start while the previous fire's job is still live
 * @param paused a paused schedule does not fire; resuming continues from the next fire time after
 *     the resume, without catching up
 * @param endAt no fire after this instant, or null
 * @param maxRuns stop after this many fires, or null
 */
public record RecurringSchedule(
    String id,
    String cron,
    Duration every,
    ZoneId zone,
    JobRequest job,
    Misfire misfire,
    int misfireLimit,
    Overlap overlap,
    boolean paused,
    Instant endAt,
    Long maxRuns) {

  /** The default zone, named {@code UTC}. */
  public static final ZoneId UTC = ZoneId.of("UTC");

  public static final int MAX_ID_LENGTH = 50;
  public static final int DEFAULT_MISFIRE_LIMIT = 100;
  public static final int MAX_MISFIRE_LIMIT = 1000;

  /** What happens to fire times that passed while no leader could fire them. */
  public enum Misfire {
    /** Missed fires are dropped; the schedule continues with its next fire time. */
    SKIP,
    /** All missed fires together enqueue one job, for the latest missed fire time (default). */
    RUN_ONCE,
    /** Every missed fire enqueues its job, up to {@code misfireLimit} (the latest ones). */
    RUN_ALL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The policy for a wire name ({@code skip}, {@code run_once}, {@code run_all}), or null. */
    public static Misfire fromWire(String s) {
      for (Misfire m : values()) if (m.wireName().equals(s)) return m;
      return null;
    }
  }

  /** Whether a fire may enqueue while the job of the previous fire is still live. */
  public enum Overlap {
    /** Every fire enqueues its job (default). */
    ALLOW,
    /**
     * A fire is skipped (counted as skipped, not as a run) while the previous fire's job is not yet
     * completed, failed, cancelled or deleted.
     */
    SKIP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The policy for a wire name ({@code allow}, {@code skip}), or null. */
    public static Overlap fromWire(String s) {
      for (Overlap o : values()) if (o.wireName().equals(s)) return o;
      return null;
    }
  }

  public RecurringSchedule {
    zone = zone == null ? UTC : zone;
    misfire = misfire == null ? Misfire.RUN_ONCE : misfire;
    overlap = overlap == null ? Overlap.ALLOW : overlap;
  }

  /** A schedule that fires per a cron expression (read in UTC unless a zone is given). */
  public static Builder cron(String id, String expression) {
    Builder b = new Builder(id);
    b.cron = expression;
    return b;
  }

  /** A schedule that fires every {@code interval}, at whole multiples of it since the epoch. */
  public static Builder every(String id, Duration interval) {
    Builder b = new Builder(id);
    b.every = interval;
    return b;
  }

  /** A builder holding this schedule's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.cron = cron;
    b.every = every;
    b.zone = zone;
    b.job = job;
    b.misfire = misfire;
    b.misfireLimit = misfireLimit;
    b.overlap = overlap;
    b.paused = paused;
    b.endAt = endAt;
    b.maxRuns = maxRuns;
    return b;
  }

  /**
   * Builds a {@link RecurringSchedule}. It checks nothing but presence; {@link Recurring#put}
   * checks everything and names the field at fault.
   */
  public static final class Builder {
    private final String id;
    private String cron;
    private Duration every;
    private ZoneId zone = UTC;
    private JobRequest job;
    private Misfire misfire = Misfire.RUN_ONCE;
    private int misfireLimit = DEFAULT_MISFIRE_LIMIT;
    private Overlap overlap = Overlap.ALLOW;
    private boolean paused;
    private Instant endAt;
    private Long maxRuns;

    private Builder(String id) {
      this.id = id;
    }

    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The time zone by IANA name, e.g. {@code Europe/Berlin}.
     *
     * @throws java.time.DateTimeException when the zone is unknown
     */
    public Builder zone(String zone) {
      return zone(ZoneId.of(zone));
    }

    /** The job each fire enqueues, by type and JSON args (options set here are kept). */
    public Builder job(String type, String argsJson) {
      return job(new JobRequest(type, argsJson, options()));
    }

    /** The job each fire enqueues, from an args record. */
    public Builder job(JobArgs args) {
      Objects.requireNonNull(args, "args");
      return job(new JobRequest(args.type(), dev.taskflow.internal.Json.write(args), options()));
    }

    /**
     * The job each fire enqueues (its options: queue, priority, maxAttempts, timeout, owner, tags).
     */
    public Builder job(JobRequest job) {
      this.job = Objects.requireNonNull(job, "job");
      return this;
    }

    public Builder queue(String queue) {
      return options(options().queue(queue));
    }

    public Builder priority(int priority) {
      return options(options().priority(priority));
    }

    public Builder maxAttempts(int maxAttempts) {
      return options(options().maxAttempts(maxAttempts));
    }

    public Builder timeout(Duration timeout) {
      return options(options().timeout(timeout));
    }

    public Builder owner(String owner) {
      return options(options().owner(owner));
    }

    public Builder tags(String... tags) {
      return options(options().tags(tags));
    }

    public Builder misfire(Misfire policy) {
      this.misfire = Objects.requireNonNull(policy, "misfire");
      return this;
    }

    /** {@link Misfire#RUN_ALL}, running at most {@code limit} missed fires (the latest). */
    public Builder runAllMissed(int limit) {
      this.misfire = Misfire.RUN_ALL;
      this.misfireLimit = limit;
      return this;
    }

    public Builder overlap(Overlap policy) {
      this.overlap = Objects.requireNonNull(policy, "overlap");
      return this;
    }

    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    public Builder endAt(Instant endAt) {
      this.endAt = endAt;
      return this;
    }

    public Builder maxRuns(long maxRuns) {
      this.maxRuns = maxRuns;
      return this;
    }

    public RecurringSchedule build() {
      return new RecurringSchedule(
          id, cron, every, zone, job, misfire, misfireLimit, overlap, paused, endAt, maxRuns);
    }

    private EnqueueOptions options() {
      return job == null ? EnqueueOptions.defaults() : job.options();
    }

    private Builder options(EnqueueOptions o) {
      job =
          job == null
              ? new JobRequest(null, "{}", o)
              : new JobRequest(job.type(), job.argsJson(), o);
      return this;
    }
  }
}
