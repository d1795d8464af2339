package dev.taskflow;

import dev.taskflow.internal.JobValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named limit that every server enforces when it claims jobs: at most {@code maxRunning} matching
 * jobs processing at once, and at most {@code rateCount} matching jobs started per {@code
 * ratePeriod}. Jobs over a limit simply stay enqueued until it has room; they never fail.
 *
 * <p>The limit applies to the jobs its selectors match ({@code type} and/or {@code queue}; null
 * matches any) and counts them per {@link Scope}: all together ({@link Scope#GLOBAL}), per
 * concurrency key ({@link Scope#KEY}) or per owner ({@link Scope#OWNER}, which also makes the claim
 * order of the queue round-robin between owners).
 *
 * {@snippet :
 * // at most 2 running and 100 starts a minute of email.send, per owner
 * taskflow.limits().put(FlowLimit.builder("email-per-user")
 *     .type("email.send")
 *     .scope(FlowLimit.Scope.OWNER)
 *     .maxRunning(2)
 *     .rate(100, Duration.ofMinutes(1))
 *     .build());
 * }
 *
 * @param name the limit's id (upserts replace the limit with this name)
 * @param type only jobs of this type, or null for any type
 * @param queue only jobs on this queue, or null for any queue
 * @param scope how matching jobs share the limit
 * @param maxRunning at most this many matching jobs processing at once per bucket (1 makes a
 *     mutex), or null for no concurrency limit
 * @param rateCount at most this many starts per {@code ratePeriod} per bucket, or null
 * @param ratePeriod the sliding window of the rate, at least 1 s; null exactly when {@code
 *     rateCount} is
 * @throws InvalidLimitException naming every field that breaks a rule
 */
public record FlowLimit(
    String name,
    String type,
    String queue,
    Scope scope,
    Integer maxRunning,
    Integer rateCount,
    Duration ratePeriod) {

  /** Limit names: like queue names, 1..64 characters. */
  public static final Pattern NAME = JobValidator.NAME;

  public static final int MAX_NAME_LENGTH = 64;
  public static final int MAX_COUNT = 1_000_000;
  public static final Duration MIN_RATE_PERIOD = Duration.ofSeconds(1);
  public static final Duration MAX_RATE_PERIOD = Duration.ofDays(1);

  /** How the jobs a limit matches share it. */
  public enum Scope {
    /** All matching jobs share one budget. */
    GLOBAL,
    /** A budget per concurrency key; jobs without a key are not limited by it. */
    KEY,
    /**
     * A budget per owner; jobs without an owner share one. Queues it matches are claimed
     * round-robin between owners.
     */
    OWNER;

    /** The lower-case name used in JSON and on the command line. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The scope for a wire name, or null when there is none by that name. */
    public static Scope fromWire(String s) {
      if (s == null) return null;
      for (Scope v : values()) if (v.wireName().equals(s)) return v;
      return null;
    }
  }

  /** One broken rule: the field, a stable code, a sentence naming the value. */
  public record Violation(String field, String rule, String message) {}

  public FlowLimit {
    List<Violation> bad = violations(name, type, queue, scope, maxRunning, rateCount, ratePeriod);
    if (!bad.isEmpty()) throw new InvalidLimitException(name, bad);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether this limit counts jobs of this type on this queue. */
  public boolean matches(String jobType, String jobQueue) {
    return (type == null || type.equals(jobType)) && (queue == null || queue.equals(jobQueue));
  }

  /**
   * The bucket a matching job counts in: {@code ""} for a global limit and for jobs without an
   * owner under an owner limit, the owner or the concurrency key otherwise; null when the limit
   * does not limit the job (a key limit and a job without a key).
   */
  public String bucket(String owner, String concurrencyKey) {
    return switch (scope) {
      case GLOBAL -> "";
      case OWNER -> owner == null ? "" : owner;
      case KEY -> concurrencyKey;
    };
  }

  /** Whether this limit has a rate. */
  public boolean hasRate() {
    return rateCount != null;
  }

  /**
   * Every rule the given values break, in field order; empty when they make a valid limit. The HTTP
   * API reports each as its own error.
   */
  public static List<Violation> violations(
      String name,
      String type,
      String queue,
      Scope scope,
      Integer maxRunning,
      Integer rateCount,
      Duration ratePeriod) {
    List<Violation> out = new ArrayList<>();
    Names.Problem badName = Names.check("limit name", name, MAX_NAME_LENGTH);
    if (badName != null) out.add(new Violation("name", badName.rule(), badName.message()));
    selector(out, "type", type, JobValidator.MAX_TYPE_LENGTH);
    selector(out, "queue", queue, JobValidator.MAX_QUEUE_LENGTH);
    if (scope == null) {
      out.add(new Violation("scope", "required", "scope must be one of global, key, owner"));
    }
    if (maxRunning != null && (maxRunning < 1 || maxRunning > MAX_COUNT)) {
      out.add(
          new Violation(
              "maxRunning", "range", "maxRunning must be 1.." + MAX_COUNT + ", was " + maxRunning));
    }
    if (rateCount != null && (rateCount < 1 || rateCount > MAX_COUNT)) {
      out.add(
          new Violation(
              "rateCount", "range", "rateCount must be 1.." + MAX_COUNT + ", was " + rateCount));
    }
    if (ratePeriod != null
        && (ratePeriod.compareTo(MIN_RATE_PERIOD) < 0
            || ratePeriod.compareTo(MAX_RATE_PERIOD) > 0)) {
      out.add(
          new Violation("ratePeriod", "range", "ratePeriod must be PT1S..P1D, was " + ratePeriod));
    } else if (ratePeriod != null && ratePeriod.getNano() % 1_000_000 != 0) {
      out.add(
          new Violation(
              "ratePeriod",
              "precision",
              "ratePeriod must be whole milliseconds, was " + ratePeriod));
    }
    if (rateCount != null && ratePeriod == null) {
      out.add(new Violation("ratePeriod", "required", "rateCount needs a ratePeriod"));
    }
    if (ratePeriod != null && rateCount == null) {
      out.add(new Violation("rateCount", "required", "ratePeriod needs a rateCount"));
    }
    if (maxRunning == null && rateCount == null && ratePeriod == null) {
      out.add(
          new Violation(
              "maxRunning",
              "required",
              "a limit needs maxRunning, or rateCount with ratePeriod, or both"));
    }
    return out;
  }

  private static void selector(List<Violation> out, String field, String value, int max) {
    if (value == null) return; // omitted: matches any
    Names.Problem bad = Names.check(field, value, max);
    // an empty selector is too short rather than missing: omit it to match any
    if (bad != null) {
      out.add(new Violation(field, value.isEmpty() ? "length" : bad.rule(), bad.message()));
    }
  }

  /** Builds a {@link FlowLimit}; {@link #build()} checks every rule. Scope defaults to global. */
  public static final class Builder {
    private final String name;
    private String type;
    private String queue;
    private Scope scope = Scope.GLOBAL;
    private Integer maxRunning;
    private Integer rateCount;
    private Duration ratePeriod;

    private Builder(String name) {
      this.name = name;
    }

    /** Only jobs of this type (default: any). */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /** Only jobs on this queue (default: any). */
    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** At most this many running at once per bucket; 1 makes a mutex. */
    public Builder maxRunning(int max) {
      this.maxRunning = max;
      return this;
    }

    /** At most {@code count} starts per {@code period} per bucket. */
    public Builder rate(int count, Duration period) {
      this.rateCount = count;
      this.ratePeriod = period;
      return this;
    }

    public FlowLimit build() {
      return new FlowLimit(name, type, queue, scope, maxRunning, rateCount, ratePeriod);
    }
  }
}
