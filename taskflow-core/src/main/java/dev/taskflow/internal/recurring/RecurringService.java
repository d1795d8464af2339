package dev.taskflow.internal.recurring;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobRequest;
import dev.taskflow.Names;
import dev.taskflow.Page;
import dev.taskflow.Recurring;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringNotFoundException;
import dev.taskflow.RecurringPutResult;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.cron.CronSyntaxException;
import dev.taskflow.internal.JobValidator;
import dev.taskflow.internal.Json;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.RecurringListParams;
import dev.taskflow.spi.RecurringRecord;
import dev.taskflow.spi.RecurringSaveParams;
import dev.taskflow.spi.RecurringStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The recurring schedules of one TaskFlow: see {@link Recurring}. */
public final class RecurringService implements Recurring {
  private static final int MAX_TAGS = JobValidator.MAX_TAGS - 1;
  private static final Duration MAX_INTERVAL = Duration.ofDays(366);

  private final Storage storage;
  private final Function<JobRequest, EnqueueResult> enqueue;
  private final Function<List<JobRequest>, List<NewJob>> prepare;
  private final Duration minInterval;
  private final RecurringScheduler scheduler;

  /**
   * @param enqueue enqueues a manual trigger's job as the client does
   * @param prepare validates a schedule's job as an enqueue would, inserting nothing
   */
  public RecurringService(
      Storage storage,
      Function<JobRequest, EnqueueResult> enqueue,
      Function<List<JobRequest>, List<NewJob>> prepare,
      Duration minInterval,
      RecurringScheduler scheduler) {
    this.storage = storage;
    this.enqueue = enqueue;
    this.prepare = prepare;
    this.minInterval = minInterval;
    this.scheduler = scheduler;
  }

  /**
   * Whether the store keeps recurring schedules. When it does not, every other method here throws
   * {@link FeatureUnsupportedException}.
   */
  @Override
  public boolean supported() {
    return StorageFeature.RECURRING.isIn(storage);
  }

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  @Override
  public Recurring requireSupported() {
    store();
    return this;
  }

  private RecurringStore store() {
    return storage.recurring().orElseThrow(() -> StorageFeature.RECURRING.missingIn(storage));
  }

  /** The shortest interval between fires this server accepts. */
  @Override
  public Duration minimumInterval() {
    return minInterval;
  }

  /**
   * Saves a schedule, replacing the one with the same id. Putting an unchanged definition again
   * changes nothing (fires missed while the application was down are still caught up per the
   * misfire policy); a changed one fires next at its first fire time after now.
   *
   * @throws InvalidJobException naming the field at fault ({@code cron}, {@code zone}, {@code
   *     job/type}, ...) and the rule; a schedule more frequent than {@link #minimumInterval()} is
   *     refused with rule {@code too_frequent} and its next fire times in the message
   */
  @Override
  public RecurringPutResult put(RecurringSchedule s) {
    Objects.requireNonNull(s, "schedule");
    requireSupported();
    FireTimes times = validate(s);
    Instant now = storage.now();
    Optional<RecurringRecord> old = store().get(s.id());
    String spec = RecurringCodec.toSpecJson(s);
    Instant next;
    if (old.isPresent() && sameDefinition(old.get(), spec)) {
      RecurringRecord r = old.get();
      if (r.paused() == s.paused()) return new RecurringPutResult(info(r), false);
      next = r.paused() ? first(s, times, now, r.runs()) : r.nextFireAt(); // resumed by a put
    } else {
      next = first(s, times, now, old.map(RecurringRecord::runs).orElse(0L));
    }
    boolean created = store().save(new RecurringSaveParams(s.id(), spec, s.paused(), next));
    scheduler.wake();
    return new RecurringPutResult(require(s.id()), created);
  }

  @Override
  public Optional<RecurringInfo> get(String id) {
    return store().get(id).map(this::info);
  }

  /**
   * Schedules in id order after {@code afterId} (null: from the first), at most {@code limit}.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..1000
   */
  @Override
  public Page<RecurringInfo> list(String afterId, int limit) {
    requireSupported();
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("recurring list limit must be 1..1000, was " + limit);
    }
    List<RecurringInfo> items =
        store().list(new RecurringListParams(afterId, limit)).stream().map(this::info).toList();
    return new Page<>(items, items.size() == limit ? items.getLast().id() : null);
  }

  /** Every schedule, in id order. */
  @Override
  public List<RecurringInfo> all() {
    List<RecurringInfo> out = new ArrayList<>();
    String after = null;
    while (true) {
      Page<RecurringInfo> page = list(after, 1000);
      out.addAll(page.items());
      if (!page.hasNext()) return out;
      after = page.nextCursor();
    }
  }

  /** Removes a schedule; its jobs stay. False when none had the id. */
  @Override
  public boolean delete(String id) {
    return store().delete(id);
  }

  /**
   * Stops a schedule from firing until {@link #resume}; a no-op when it is paused already.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  @Override
  public RecurringInfo pause(String id) {
    RecurringRecord r = record(id);
    if (r.paused()) return info(r);
    store().save(new RecurringSaveParams(id, r.specJson(), true, r.nextFireAt()));
    return require(id);
  }

  /**
   * Lets a paused schedule fire again, from its first fire time after now: the time it was paused
   * is not caught up. A no-op when it is not paused.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  @Override
  public RecurringInfo resume(String id) {
    RecurringRecord r = record(id);
    if (!r.paused()) return info(r);
    RecurringSchedule s = decode(r);
    Instant next = first(s, FireTimes.of(s), storage.now(), r.runs());
    store().save(new RecurringSaveParams(id, r.specJson(), false, next));
    scheduler.wake();
    return require(id);
  }

  /**
   * Enqueues the schedule's job once, now, paused or not. It carries the schedule's tag but no
   * unique key, and is not a fire: runs, last fire and next fire times stay as they are.
   *
   * @throws RecurringNotFoundException when no schedule has the id
   */
  @Override
  public EnqueueResult trigger(String id) {
    return enqueue.apply(RecurringScheduler.request(decode(record(id))));
  }

  // ------------------------------------------------------------------------------------------

  /** Checks everything about a schedule; returns its fire times. */
  private FireTimes validate(RecurringSchedule s) {
    String id = s.id();
    Names.Problem bad = Names.check("a schedule id", id, RecurringSchedule.MAX_ID_LENGTH);
    if (bad != null) throw invalid("id", "pattern", bad.message());
    String type = s.job() == null ? null : s.job().type();
    if (s.cron() != null && s.every() != null) {
      throw invalid("every", "exclusive", "give cron or every, not both");
    }
    if (s.cron() == null && s.every() == null) {
      throw invalid("cron", "required", "a schedule needs cron or every");
    }
    if (s.every() != null && (s.every().toMillis() < 1 || s.every().compareTo(MAX_INTERVAL) > 0)) {
      throw invalid(
          "every", "range", "every must be at least 1 ms and at most P366D, was " + s.every());
    }
    FireTimes times;
    try {
      times = FireTimes.of(s);
    } catch (CronSyntaxException e) {
      throw new InvalidJobException("cron", e.rule(), type, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("cron", "syntax", type, e.getMessage());
    }
    String field = s.cron() != null ? "cron" : "every";
    Instant now = storage.now();
    Optional<Instant> first = times.nextAfter(now);
    if (first.isEmpty()) {
      throw invalid(field, "never_fires", "'" + s.cron() + "' has no fire time after " + now);
    }
    if (times.minimumInterval().compareTo(minInterval) < 0) {
      String next =
          times.upcoming(first.get(), SHOWN_NEXT_FIRES, null).stream()
              .map(Instant::toString)
              .collect(Collectors.joining(", "));
      throw invalid(
          field,
          "too_frequent",
          "'"
              + (s.cron() != null ? s.cron() : s.every())
              + "' fires as often as every "
              + times.minimumInterval()
              + ", more often than this server's minimum of "
              + minInterval
              + "; next fires in "
              + s.zone().getId()
              + ": "
              + next);
    }
    if (s.misfireLimit() < 1 || s.misfireLimit() > RecurringSchedule.MAX_MISFIRE_LIMIT) {
      throw invalid(
          "misfireLimit",
          "range",
          "misfireLimit must be 1.."
              + RecurringSchedule.MAX_MISFIRE_LIMIT
              + ", was "
              + s.misfireLimit());
    }
    if (s.maxRuns() != null && s.maxRuns() < 1) {
      throw invalid("maxRuns", "range", "maxRuns must be at least 1, was " + s.maxRuns());
    }
    if (s.endAt() != null && !s.endAt().isAfter(now)) {
      throw invalid("endAt", "range", "endAt must be in the future, was " + s.endAt());
    }
    if (s.endAt() != null && first.get().isAfter(s.endAt())) {
      throw invalid(
          "endAt",
          "never_fires",
          "endAt "
              + s.endAt()
              + " is before the first fire time "
              + first.get()
              + ": the schedule would never fire");
    }
    validateJob(s);
    return times;
  }

  private void validateJob(RecurringSchedule s) {
    JobRequest job = s.job();
    if (job == null) throw invalid("job", "required", "a schedule needs the job it enqueues");
    if (job.type() == null) throw invalid("job/type", "required", "the job needs a type");
    EnqueueOptions o = job.options();
    notAllowed("runAt", o.runAt());
    notAllowed("delay", o.delay());
    notAllowed("uniqueKey", o.uniqueKey());
    notAllowed("dependsOn", o.dependsOn().isEmpty() ? null : o.dependsOn());
    notAllowed("onParentFailure", o.onParentFailure());
    notAllowed("concurrencyKey", o.concurrencyKey());
    notAllowed("uniqueFor", o.uniqueFor());
    notAllowed("startBy", o.startBy());
    notAllowed("startWithin", o.startWithin());
    EnqueueOptions allowed = EnqueueOptions.defaults().tags(o.tags());
    if (o.queue() != null) allowed = allowed.queue(o.queue());
    if (o.priority() != null) allowed = allowed.priority(o.priority());
    if (o.maxAttempts() != null) allowed = allowed.maxAttempts(o.maxAttempts());
    if (o.timeout() != null) allowed = allowed.timeout(o.timeout());
    if (o.owner() != null) allowed = allowed.owner(o.owner());
    if (!allowed.equals(o)) {
      throw invalid(
          "job",
          "not_allowed",
          "a schedule's job may set only queue, priority, maxAttempts, timeout, owner and tags");
    }
    if (o.tags().size() > MAX_TAGS) {
      throw invalid(
          "job/tags",
          "max_items",
          "at most " + MAX_TAGS + " tags (each fire adds recurring:<id>), got " + o.tags().size());
    }
    try {
      prepare.apply(List.of(RecurringScheduler.fireRequest(s, storage.now())));
    } catch (InvalidJobException e) {
      throw e.under("job/");
    }
  }

  private void notAllowed(String option, Object value) {
    if (value != null) {
      throw invalid(
          "job/" + option,
          "not_allowed",
          "a schedule's job cannot set "
              + option
              + "; it may set only queue, priority, maxAttempts, timeout, owner and tags (each"
              + " fire is due at its fire time and gets the unique key recurring:<id>:<fire"
              + " time>)");
    }
  }

  private static InvalidJobException invalid(String field, String rule, String message) {
    return new InvalidJobException(field, rule, null, message);
  }

  /** The first fire time after now that the end date and the run limit still allow, or null. */
  private static Instant first(RecurringSchedule s, FireTimes times, Instant now, long runs) {
    if (s.maxRuns() != null && runs >= s.maxRuns()) return null;
    Instant t = times.nextAfter(now).orElse(null);
    return t == null || s.endAt() != null && t.isAfter(s.endAt()) ? null : t;
  }

  private static boolean sameDefinition(RecurringRecord r, String spec) {
    // As JSON trees: a store may reorder keys (jsonb).
    return Json.tree(r.specJson()).equals(Json.tree(spec));
  }

  private RecurringRecord record(String id) {
    return store().get(id).orElseThrow(() -> new RecurringNotFoundException(id));
  }

  private RecurringInfo require(String id) {
    return info(record(id));
  }

  private static RecurringSchedule decode(RecurringRecord r) {
    return RecurringCodec.fromSpecJson(r.id(), r.paused(), r.specJson());
  }

  private RecurringInfo info(RecurringRecord r) {
    RecurringSchedule s = decode(r);
    List<Instant> next = List.of();
    if (!r.paused() && r.nextFireAt() != null) {
      int n = SHOWN_NEXT_FIRES;
      if (s.maxRuns() != null) n = (int) Math.max(0, Math.min(n, s.maxRuns() - r.runs()));
      next = FireTimes.of(s).upcoming(r.nextFireAt(), n, s.endAt());
    }
    return new RecurringInfo(
        s, next, r.lastFireAt(), r.lastJobId(), r.runs(), r.createdAt(), r.updatedAt());
  }
}
