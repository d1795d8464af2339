package dev.taskflow.cron;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;

/**
 * The parsed fields of a cron expression as bit sets (bit {@code v} set when value {@code v}
 * matches), and the search for the next matching local date-time, which jumps field by field.
 *
 * @param seconds bits 0-59 ({@code 1L}, second 0 only, for a 5-field expression)
 * @param minutes bits 0-59
 * @param hours bits 0-23
 * @param daysOfMonth bits 1-31
 * @param lastDayOfMonth whether {@code L} (the month's last day) was given
 * @param months bits 1-12
 * @param daysOfWeek bits 0-6, 0 = Sunday
 * @param daysAnded whether day-of-month or day-of-week starts with {@code *} or is {@code ?}: then
 *     a day must match both; otherwise (both restricted) either (Vixie cron)
 */
record CronFields(
    long seconds,
    long minutes,
    long hours,
    long daysOfMonth,
    boolean lastDayOfMonth,
    long months,
    long daysOfWeek,
    boolean daysAnded) {

  static final long ALL_HOURS = (1L << 24) - 1;

  boolean everyHour() {
    return hours == ALL_HOURS;
  }

  boolean dayMatches(LocalDate date) {
    int dom = date.getDayOfMonth();
    boolean domMatch =
        (daysOfMonth & (1L << dom)) != 0 || (lastDayOfMonth && dom == date.lengthOfMonth());
    boolean dowMatch = (daysOfWeek & (1L << (date.getDayOfWeek().getValue() % 7))) != 0;
    return daysAnded ? domMatch && dowMatch : domMatch || dowMatch;
  }

  /**
   * Whether some date ever matches. Every (month, day) pair that exists in some year falls on every
   * weekday in some year, so only the day-of-month side can make an expression impossible (e.g.
   * {@code 30 2}), and only when the days are ANDed.
   */
  boolean canFire() {
    if (!daysAnded) {
      return true; // any weekday matches in every month
    }
    for (int m = 1; m <= 12; m++) {
      if ((months & (1L << m)) == 0) continue;
      int longest = Month.of(m).maxLength();
      if (lastDayOfMonth || (daysOfMonth & ((1L << (longest + 1)) - 1)) != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first local date-time at or after {@code start} (whole seconds) whose fields all match, or
   * null when there is none up to {@code limit} (inclusive).
   */
  LocalDateTime nextLocal(LocalDateTime start, LocalDateTime limit) {
    LocalDateTime t = start;
    while (!t.isAfter(limit)) {
      int month = t.getMonthValue();
      if ((months & (1L << month)) == 0) {
        int next = nextBit(months, month + 1);
        t =
            next < 0
                ? LocalDateTime.of(t.getYear() + 1, nextBit(months, 1), 1, 0, 0)
                : LocalDateTime.of(t.getYear(), next, 1, 0, 0);
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int hour = t.getHour();
      if ((hours & (1L << hour)) == 0) {
        int next = nextBit(hours, hour + 1);
        t = next < 0 ? t.toLocalDate().plusDays(1).atStartOfDay() : t.toLocalDate().atTime(next, 0);
        continue;
      }
      int minute = t.getMinute();
      if ((minutes & (1L << minute)) == 0) {
        int next = nextBit(minutes, minute + 1);
        t =
            next < 0
                ? t.toLocalDate().atTime(hour, 0).plusHours(1)
                : t.toLocalDate().atTime(hour, next);
        continue;
      }
      int second = t.getSecond();
      if ((seconds & (1L << second)) == 0) {
        int next = nextBit(seconds, second + 1);
        t =
            next < 0
                ? t.toLocalDate().atTime(hour, minute).plusMinutes(1)
                : t.toLocalDate().atTime(hour, minute, next);
        continue;
      }
      return t;
    }
    return null;
  }

  /**
   * The smallest gap between consecutive matching local date-times, in seconds, ignoring daylight
   * saving; {@code -1} when fewer than two ever match. Within a day the fire times are hours x
   * minutes x seconds, so the gaps are the steps inside each set less the span of the sets below
   * it; between days it is the smallest gap between matching dates, found over one 400-year
   * Gregorian cycle (which holds every calendar and weekday pattern).
   */
  long minimumGapSeconds() {
    long best = Long.MAX_VALUE;
    int secondSpan = lastBit(seconds) - firstBit(seconds);
    int minuteSpan = 60 * (lastBit(minutes) - firstBit(minutes)) + secondSpan;
    int daySpan = 3600 * (lastBit(hours) - firstBit(hours)) + minuteSpan;
    best = Math.min(best, minStep(seconds));
    best = Math.min(best, satMul(minStep(minutes), 60) - secondSpan);
    best = Math.min(best, satMul(minStep(hours), 3600) - minuteSpan);
    long dayGap = minimumDayGap();
    if (dayGap > 0) {
      best = Math.min(best, dayGap * 86_400 - daySpan);
    }
    return best == Long.MAX_VALUE ? -1 : best;
  }

  private long minimumDayGap() {
    if (!canFire()) return -1;
    LocalDate day = LocalDate.of(2000, 1, 1);
    LocalDate end = day.plusYears(400);
    long previous = Long.MIN_VALUE;
    long best = Long.MAX_VALUE;
    for (; day.isBefore(end) && best > 1; day = day.plusDays(1)) {
      if ((months & (1L << day.getMonthValue())) == 0 || !dayMatches(day)) continue;
      long epochDay = day.toEpochDay();
      if (previous != Long.MIN_VALUE) {
        best = Math.min(best, epochDay - previous);
      }
      previous = epochDay;
    }
    return best == Long.MAX_VALUE ? -1 : best;
  }

  /** The smallest difference between consecutive set bits, or MAX_VALUE with fewer than two. */
  private static long minStep(long bits) {
    long best = Long.MAX_VALUE;
    int previous = -1;
    for (int v = nextBit(bits, 0); v >= 0; v = nextBit(bits, v + 1)) {
      if (previous >= 0) best = Math.min(best, v - previous);
      previous = v;
    }
    return best;
  }

  private static long satMul(long a, long b) {
    return a == Long.MAX_VALUE ? Long.MAX_VALUE : a * b;
  }

  static int nextBit(long bits, int from) {
    if (from > 63) return -1;
    long rest = bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  private static int firstBit(long bits) {
    return Long.numberOfTrailingZeros(bits);
  }

  private static int lastBit(long bits) {
    return 63 - Long.numberOfLeadingZeros(bits);
  }
}
