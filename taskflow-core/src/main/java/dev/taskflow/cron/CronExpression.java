package dev.taskflow.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule, evaluated in a time zone with {@code java.time}. Immutable and thread-safe.
 *
 * <pre>{@code
 * CronExpression cron = CronExpression.parse("30 2 * * MON-FRI");
 * Optional<Instant> next = cron.nextAfter(Instant.now(), ZoneId.of("America/New_York"));
 * }</pre>
 *
 * <h2>Syntax</h2>
 *
 * Five fields {@code minute hour day-of-month month day-of-week}, or six with a leading {@code
 * second}. Fields are separated by spaces or tabs.
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>field</th><th>values</th></tr>
 *   <tr><td>second (6-field form only)</td><td>0-59</td></tr>
 *   <tr><td>minute</td><td>0-59</td></tr>
 *   <tr><td>hour</td><td>0-23</td></tr>
 *   <tr><td>day-of-month</td><td>1-31, {@code L} (the month's last day), {@code ?}</td></tr>
 *   <tr><td>month</td><td>1-12 or JAN-DEC</td></tr>
 *   <tr><td>day-of-week</td><td>0-7 or SUN-SAT (0 and 7 are Sunday), {@code ?}</td></tr>
 * </table>
 *
 * Each field is {@code *} or a comma-separated list of items; an item is a value {@code a}, a range
 * {@code a-b}, or either of those or {@code *} with a step: {@code *}{@code /n}, {@code a-b/n},
 * {@code a/n} (= {@code a-max/n}). Names are case-insensitive and may be used in ranges ({@code
 * MON-FRI}). {@code ?} means {@code *} in the two day fields. A step runs from 1 to the field's
 * span (60 for minutes). Ranges do not wrap: write {@code FRI,SAT,SUN} or {@code 5-7}, not {@code
 * FRI-SUN}. The six-field form is not Quartz: day-of-week numbers are the Unix ones above.
 *
 * <p>Macros: {@code @yearly} and {@code @annually} ({@code 0 0 1 1 *}), {@code @monthly} ({@code 0
 * 0 1 * *}), {@code @weekly} ({@code 0 0 * * 0}), {@code @daily} and {@code @midnight} ({@code 0 0
 * * * *}), {@code @hourly} ({@code 0 * * * *}). {@code @reboot} is refused.
 *
 * <p><b>Day-of-month and day-of-week</b> follow Vixie cron: when either field starts with {@code *}
 * (including a step such as {@code *}{@code /2}) or is {@code ?}, a day must match both; when both
 * are restricted, a day matches if <em>either</em> matches. So {@code 0 0 1,15 * MON} fires on the
 * 1st, the 15th and every Monday, while {@code 0 0 *}{@code /2 * MON} fires on Mondays that fall on
 * an odd day of the month.
 *
 * <h2>Time zones and daylight saving</h2>
 *
 * Fire times are local date-times in the schedule's zone. How one becomes an instant depends on the
 * hour field:
 *
 * <ul>
 *   <li><b>Hour field matches every hour</b> ({@code *}, {@code 0-23}, {@code *}{@code /1}): the
 *       schedule keeps <em>real-time cadence</em>. It fires at every instant whose wall-clock time
 *       matches. In a fall-back overlap the repeated local times occur twice and fire twice (so
 *       {@code *}{@code /15 * * * *} fires every 15 real minutes right through the repeated hour);
 *       in a spring-forward gap the skipped local times never occur and do not fire, and nothing
 *       fires twice (so {@code *}{@code /15 * * * *} goes from 01:45 to 03:00 in New York, 15 real
 *       minutes). With a 30-minute shift (Australia/Lord_Howe) a whole-hour schedule such as {@code
 *       0 * * * *} sees one 90-minute gap at each transition.
 *   <li><b>Any other hour field</b> (e.g. {@code 30 2 * * *}, {@code *}{@code /15 9-17 * * *}):
 *       each matching local date-time fires <em>once</em>. A time in a spring-forward gap fires at
 *       the first instant after the gap (02:30 on a New York spring-forward day fires at 03:00
 *       EDT); several gap times, or a gap time and the time the gap ends at, fire once together. A
 *       time in a fall-back overlap fires once, at the earlier offset (01:30 on a New York
 *       fall-back day fires at 01:30 EDT, not again at 01:30 EST).
 * </ul>
 *
 * <h2>Search bound</h2>
 *
 * {@link #nextAfter} jumps field by field (month, day, hour, minute, second), never second by
 * second. An expression that can never fire (e.g. {@code 0 0 30 2 *}) is recognised up front and
 * yields empty at once. Otherwise the search looks {@value #SEARCH_YEARS} years ahead, well past
 * the longest gap an expression can have: 29 February alone is 8 years apart across 2100, and the
 * 1st of a month that must also be a given weekday ({@code 0 0 *}{@code /30 2 MON}: 1 February on a
 * Monday) at most 12 years apart.
 */
public final class CronExpression {
  /** How far ahead {@link #nextAfter} looks for a fire time. */
  public static final int SEARCH_YEARS = 50;

  private static final Instant FIRST_SUPPORTED =
      LocalDateTime.MIN.plusDays(2).toInstant(ZoneOffset.UTC);
  private static final Instant LAST_SUPPORTED =
      LocalDateTime.MAX.minusYears(SEARCH_YEARS + 1).toInstant(ZoneOffset.UTC);

  private final String expression;
  private final CronFields fields;
  private final boolean canFire;
  private volatile Duration minimumInterval;

  private CronExpression(String expression, CronFields fields) {
    this.expression = expression;
    this.fields = fields;
    this.canFire = fields.canFire();
  }

  /**
   * Parses a cron expression (see the class comment for the syntax).
   *
   * @throws CronSyntaxException naming the field, the offending text and the rule
   * @throws NullPointerException when {@code expression} is null
   */
  public static CronExpression parse(String expression) {
    Objects.requireNonNull(expression, "cron expression");
    return new CronExpression(expression, CronParser.parse(expression));
  }

  /**
   * The first fire time strictly after {@code after}, in {@code zone}; empty when there is none
   * within {@value #SEARCH_YEARS} years (e.g. 30 February). See the class comment for daylight
   * saving.
   */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    Objects.requireNonNull(after, "after");
    ZoneRules rules = Objects.requireNonNull(zone, "zone").getRules();
    if (!canFire || after.isAfter(LAST_SUPPORTED)) {
      return Optional.empty();
    }
    Instant from = after.isBefore(FIRST_SUPPORTED) ? FIRST_SUPPORTED : after;
    return Optional.ofNullable(
        fields.everyHour() ? nextRealTime(from, rules) : nextWallClock(from, rules));
  }

  /**
   * The next {@code n} fire times after {@code after}, in order (fewer when the schedule ends
   * within the search bound).
   */
  public List<Instant> nextFires(Instant after, ZoneId zone, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
    List<Instant> fires = new ArrayList<>(Math.min(n, 1000));
    Instant cursor = after;
    while (fires.size() < n) {
      Optional<Instant> next = nextAfter(cursor, zone);
      if (next.isEmpty()) break;
      cursor = next.get();
      fires.add(cursor);
    }
    return List.copyOf(fires);
  }

  /**
   * The smallest gap between two consecutive fire times on the local calendar, ignoring daylight
   * saving: {@code * * * * * *} is 1 second, {@code *}{@code /5 * * * *} 5 minutes, {@code 0 9,17 *
   * * *} 8 hours, {@code 0 0 1 * *} 28 days. It is exact for local time; at a daylight-saving
   * transition two real fires can come closer (a gap time moved to the gap's end, e.g. {@code 5 2,3
   * * * *} fires at 03:00 and 03:05 on a New York spring-forward day). {@link ChronoUnit#FOREVER}'s
   * duration when the expression never fires.
   */
  public Duration minimumInterval() {
    Duration result = minimumInterval;
    if (result == null) {
      long seconds = fields.minimumGapSeconds();
      result = seconds < 0 ? ChronoUnit.FOREVER.getDuration() : Duration.ofSeconds(seconds);
      minimumInterval = result;
    }
    return result;
  }

  /** The expression exactly as given to {@link #parse(String)}. */
  public String expression() {
    return expression;
  }

  /**
   * Hour field matches every hour: fire at each instant whose wall-clock time matches, walking the
   * zone's offset segments (between transitions the offset is fixed, so local time maps one to
   * one).
   */
  private Instant nextRealTime(Instant after, ZoneRules rules) {
    ZoneOffset offset = rules.getOffset(after);
    LocalDateTime start =
        LocalDateTime.ofEpochSecond(after.getEpochSecond(), 0, offset).plusSeconds(1);
    Instant horizon = start.plusYears(SEARCH_YEARS).toInstant(offset);
    Instant segmentStart = after;
    while (true) {
      ZoneOffsetTransition transition = rules.nextTransition(segmentStart);
      boolean last = transition == null || !transition.getInstant().isBefore(horizon);
      LocalDateTime segmentEnd =
          last
              ? LocalDateTime.ofInstant(horizon, offset)
              : transition.getDateTimeBefore().minusSeconds(1);
      LocalDateTime hit = fields.nextLocal(start, segmentEnd);
      if (hit != null) {
        return hit.toInstant(offset);
      }
      if (last) {
        return null;
      }
      segmentStart = transition.getInstant();
      offset = transition.getOffsetAfter();
      start = transition.getDateTimeAfter();
    }
  }

  /**
   * Any other hour field: each matching local date-time fires once (gap: at its end; overlap:
   * earlier offset).
   */
  private Instant nextWallClock(Instant after, ZoneRules rules) {
    ZoneOffset offset = rules.getOffset(after);
    LocalDateTime local = LocalDateTime.ofEpochSecond(after.getEpochSecond(), 0, offset);
    LocalDateTime start = local.plusSeconds(1);
    List<ZoneOffset> valid = rules.getValidOffsets(local);
    if (valid.size() == 2 && offset.equals(valid.get(1))) {
      // `after` is in the second pass through a fall-back overlap: every local time of the
      // overlap already fired during the first pass, at the earlier offset.
      LocalDateTime overlapEnd = rules.getTransition(local).getDateTimeBefore();
      if (overlapEnd.isAfter(start)) {
        start = overlapEnd;
      }
    }
    LocalDateTime hit = fields.nextLocal(start, start.plusYears(SEARCH_YEARS));
    if (hit == null) {
      return null;
    }
    List<ZoneOffset> offsets = rules.getValidOffsets(hit);
    return offsets.isEmpty()
        ? rules.getTransition(hit).getInstant() // in a gap: the first instant after it
        : hit.toInstant(offsets.get(0)); // the only offset, or the earlier one of an overlap
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression other && expression.equals(other.expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  /** The expression as given. */
  @Override
  public String toString() {
    return expression;
  }
}
