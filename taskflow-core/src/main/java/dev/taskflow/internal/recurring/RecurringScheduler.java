package dev.taskflow.internal.recurring;

import dev.taskflow.InvalidJobException;
import dev.taskflow.JobRequest;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.ServiceLoop;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.RecurringDueParams;
import dev.taskflow.spi.RecurringFireParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the fires of recurring schedules, on the maintenance leader only.
 *
 * <p>One thread sleeps until the earliest next fire time it knows of, never longer than {@link
 * #POLL} (so a schedule put on another server is seen within a second), and is woken at once by a
 * local put or resume. Each due schedule is fired by {@link RecurringStore#fire}, which moves its
 * next fire time by compare-and-set in the transaction that inserts the jobs: should two servers
 * both believe they lead for a moment, each fire time is still enqueued once, and each fire's job
 * carries the unique key {@code recurring:<id>:<fireEpochMillis>} besides.
 *
 * <p>On a store without recurring schedules ({@link Storage#recurring()} empty) it never runs: it
 * says so once at start.
 */
public final class RecurringScheduler {
  private static final Logger log = LoggerFactory.getLogger(RecurringScheduler.class);

  /** The longest sleep between two passes. */
  public static final Duration POLL = Duration.ofSeconds(1);

  static final int BATCH = 100;

  private final Storage storage;
  private final RecurringStore schedules; // null: the store keeps none
  private final Function<List<JobRequest>, List<NewJob>> prepare;
  private final Consumer<String> wakeQueue;
  private final BooleanSupplier leader;
  private final String serverId;
  private final Duration grace;
  private volatile boolean running;
  private volatile ServiceLoop loop;

  /**
   * @param prepare validates fire requests into jobs (leniently: the leader need not run the type)
   * @param wakeQueue told of each queue that got jobs
   * @param leader whether this server holds the maintenance leadership now
   * @param grace how late a fire may be found and still count as on time
   */
  public RecurringScheduler(
      Storage storage,
      Function<List<JobRequest>, List<NewJob>> prepare,
      Consumer<String> wakeQueue,
      BooleanSupplier leader,
      String serverId,
      Duration grace) {
    this.storage = storage;
    this.schedules = storage.recurring().orElse(null);
    this.prepare = prepare;
    this.wakeQueue = wakeQueue;
    this.leader = leader;
    this.serverId = serverId;
    this.grace = grace;
  }

  /** The unique key of the job of a schedule's fire. */
  public static String uniqueKey(String scheduleId, Instant fireTime) {
    return "recurring:" + scheduleId + ":" + fireTime.toEpochMilli();
  }

  /** The tag every job of a schedule carries (its fires and its manual triggers). */
  public static String tag(String scheduleId) {
    return "recurring:" + scheduleId;
  }

  /** The job request of a schedule: its job with the schedule's tag added. */
  public static JobRequest request(RecurringSchedule s) {
    List<String> tags = new ArrayList<>(s.job().options().tags());
    tags.add(tag(s.id()));
    return new JobRequest(s.job().type(), s.job().argsJson(), s.job().options().tags(tags));
  }

  /** The job request of one fire: the schedule's job with its tag and the fire's unique key. */
  public static JobRequest fireRequest(RecurringSchedule s, Instant fireTime) {
    JobRequest r = request(s);
    return new JobRequest(
        r.type(), r.argsJson(), r.options().uniqueKey(uniqueKey(s.id(), fireTime)));
  }

  /** Starts the background loop (once). */
  public void start() {
    if (running) return;
    running = true;
    if (schedules == null) {
      log.info(
          "recurring scheduler off: the {} store does not keep {}",
          storage.capabilities().name(),
          StorageFeature.RECURRING.description());
      return;
    }
    loop =
        ServiceLoop.builder("recurring", this::passIfLeading)
            .every(POLL)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
            .build()
            .start();
  }

  /** Stops the background loop and waits briefly for it. */
  public void stop() {
    ServiceLoop l = loop;
    if (l != null) l.close();
  }

  /** Runs a pass now (a schedule was put or resumed here). */
  public void wake() {
    ServiceLoop l = loop;
    if (l != null) l.wake();
  }

  /**
   * For tests on a manual clock: fires every schedule due by the store's now on the calling thread.
   * A started server fires only while it leads; one never started (a test's) fires always.
   *
   * @return how many jobs were enqueued
   */
  public int fireDueNow() {
    if (schedules == null || running && !leader.getAsBoolean()) return 0;
    int total = 0;
    while (true) {
      Pass p = pass(Duration.ZERO);
      total += p.enqueued;
      if (!p.more) return total;
    }
  }

  /** One pass while this server leads; the wait until the next one. */
  private Duration passIfLeading() {
    if (!leader.getAsBoolean()) return POLL;
    Pass p = pass(POLL);
    return p.more ? Duration.ZERO : Duration.ofMillis(p.waitMs);
  }

  /** What one pass did, and how long to sleep before the next. */
  private record Pass(int enqueued, boolean more, long waitMs) {}

  private Pass pass(Duration lookAhead) {
    Instant now = storage.now();
    List<RecurringRecord> due = schedules.due(new RecurringDueParams(lookAhead, BATCH));
    int enqueued = 0;
    int fired = 0;
    Instant earliest = null;
    for (RecurringRecord r : due) {
      if (r.nextFireAt() == null) continue;
      if (r.nextFireAt().isAfter(now)) {
        if (earliest == null || r.nextFireAt().isBefore(earliest)) earliest = r.nextFireAt();
        continue;
      }
      if (Thread.currentThread().isInterrupted()) break;
      fired++;
      enqueued += fire(r, now);
    }
    boolean more = due.size() == BATCH && fired == due.size();
    long waitMs = POLL.toMillis();
    if (earliest != null) {
      // Wake right at the earliest fire; a millisecond late rather than early.
      waitMs = Math.min(waitMs, Math.max(1, Duration.between(now, earliest).toMillis() + 1));
    }
    return new Pass(enqueued, more, waitMs);
  }

  /** Fires one due schedule; returns how many jobs it enqueued. */
  private int fire(RecurringRecord r, Instant now) {
    RecurringSchedule s;
    FireTimes times;
    try {
      s = RecurringCodec.fromSpecJson(r.id(), r.paused(), r.specJson());
      times = FireTimes.of(s);
    } catch (RuntimeException e) {
      log.error("recurring {}: its stored definition cannot be read; not fired: {}", r.id(), e);
      return 0;
    }
    boolean previousLive =
        s.overlap() == RecurringSchedule.Overlap.SKIP
            && r.lastJobId() != null
            && storage.jobGet(r.lastJobId()).map(j -> !j.state().isFinished()).orElse(false);
    FirePlan plan = FirePlan.plan(s, times, r.nextFireAt(), r.runs(), now, grace, previousLive);
    List<NewJob> jobs = List.of();
    List<Instant> fires = plan.fires();
    if (!fires.isEmpty()) {
      try {
        jobs = prepare.apply(fires.stream().map(t -> fireRequest(s, t)).toList());
      } catch (InvalidJobException e) {
        log.warn(
            "recurring {}: the job of {} fire(s) up to {} is not valid here and was not enqueued: {}",
            r.id(),
            fires.size(),
            fires.getLast(),
            e.getMessage());
        fires = List.of();
      }
    }
    boolean won =
        schedules.fire(
            new RecurringFireParams(
                r.id(),
                r.nextFireAt(),
                plan.next(),
                fires.isEmpty() ? null : fires.getLast(),
                fires.size(),
                jobs,
                serverId));
    if (!won) {
      log.debug("recurring {}: fire at {} was taken by another server", r.id(), r.nextFireAt());
      return 0;
    }
    if (plan.skipped() > 0) {
      log.info(
          "recurring {}: {} fire time(s) up to {} skipped ({}{})",
          r.id(),
          plan.skipped(),
          now,
          previousLive ? "the previous fire's job is still live" : "misfire policy ",
          previousLive ? "" : s.misfire().wireName());
    }
    Set<String> queues = new LinkedHashSet<>();
    for (NewJob j : jobs) queues.add(j.queue());
    queues.forEach(wakeQueue);
    log.debug(
        "recurring {}: enqueued {} fire(s) {}; next at {}",
        r.id(),
        jobs.size(),
        fires,
        plan.next());
    return jobs.size();
  }
}
