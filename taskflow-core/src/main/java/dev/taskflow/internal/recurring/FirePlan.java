package dev.taskflow.internal.recurring;

import dev.taskflow.RecurringSchedule;
import dev.taskflow.RecurringSchedule.Misfire;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What one pass of the scheduler does with a due schedule: which fire times enqueue a job, and
 * where the next fire time moves. A pure function of the schedule, its stored state and now.
 *
 * <p>A fire time is <em>on time</em> when it is at most {@code grace} before now, else
 * <em>missed</em> (the scheduler was down or had no leader). On-time fires always run; missed ones
 * follow the schedule's {@link Misfire} policy. When anything was missed, {@link Misfire#RUN_ONCE}
 * folds every due fire time, missed or on time, into one job for the latest of them. With {@link
 * RecurringSchedule.Overlap#SKIP} at most the latest due fire runs, and none while the previous
 * fire's job is live.
 *
 * @param fires the fire times that enqueue a job now, oldest first
 * @param next the first fire time after now, or null when the schedule ends (end date or run limit)
 * @param skipped how many due fire times enqueue nothing (misfire policy)
 */
public record FirePlan(List<Instant> fires, Instant next, long skipped) {

  /** More fire times than this in one pass: jump ahead instead of walking each one. */
  static final int WALK_LIMIT = 100_000;

  public static FirePlan plan(
      RecurringSchedule s,
      FireTimes times,
      Instant due,
      long runs,
      Instant now,
      Duration grace,
      boolean previousLive) {
    Instant lateBefore = now.minus(grace);
    int keepLate = s.misfire() == Misfire.RUN_ALL ? Math.max(1, s.misfireLimit()) : 1;
    Deque<Instant> late = new ArrayDeque<>(); // the latest missed ones, at most keepLate
    long lateCount = 0;
    List<Instant> onTime = new ArrayList<>();
    Instant t = due;
    int walked = 0;
    while (t != null && !t.isAfter(now)) {
      if (s.endAt() != null && t.isAfter(s.endAt())) {
        t = null;
        break;
      }
      if (t.isBefore(lateBefore)) {
        lateCount++;
        late.addLast(t);
        if (late.size() > keepLate) late.removeFirst();
      } else {
        onTime.add(t);
      }
      t = times.nextAfter(t).orElse(null);
      if (++walked >= WALK_LIMIT && t != null && t.isBefore(lateBefore)) {
        // Years of every-second fires: jump to the last stretch that can still matter.
        Instant from = lateBefore.minus(times.minimumInterval().multipliedBy(keepLate + 1L));
        if (from.isAfter(t)) {
          Instant jumped = times.nextAfter(from).orElse(null);
          lateCount += 1; // at least one more was missed; the exact count is not needed
          t = jumped;
        }
        walked = 0;
      }
    }
    if (t != null && s.endAt() != null && t.isAfter(s.endAt())) t = null;

    List<Instant> fires = new ArrayList<>();
    switch (s.misfire()) {
      case SKIP -> fires.addAll(onTime);
      case RUN_ONCE -> {
        if (lateCount > 0) {
          fires.add(onTime.isEmpty() ? late.getLast() : onTime.getLast());
        } else {
          fires.addAll(onTime);
        }
      }
      case RUN_ALL -> {
        fires.addAll(late);
        fires.addAll(onTime);
      }
    }
    if (s.overlap() == RecurringSchedule.Overlap.SKIP && !fires.isEmpty()) {
      // Never several at once, and none while the previous fire's job is live.
      fires = previousLive ? new ArrayList<>() : new ArrayList<>(List.of(fires.getLast()));
    }
    if (s.maxRuns() != null) {
      long left = Math.max(0, s.maxRuns() - runs);
      if (fires.size() > left) fires = new ArrayList<>(fires.subList(0, (int) left));
      if (runs + fires.size() >= s.maxRuns()) t = null;
    }
    long skipped = lateCount + onTime.size() - fires.size();
    return new FirePlan(List.copyOf(fires), t, Math.max(0, skipped));
  }
}
