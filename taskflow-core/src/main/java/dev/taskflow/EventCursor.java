package dev.taskflow;

import dev.taskflow.spi.CursorAdvanceParams;
import dev.taskflow.spi.CursorStore;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A named, durable position in the store's event log, for work that must turn every persisted event
 * into jobs exactly once across the cluster (webhook fan-out): read the events after {@link
 * #position()}, build their job requests, then {@link #advance} from the position read to the last
 * event handled. The jobs and the new position commit together, and of two servers advancing from
 * the same position exactly one wins, so a crash or a second leader never enqueues an event's jobs
 * twice or skips them.
 *
 * <p>A cursor that does not exist yet starts at the current end of the log: it sees events appended
 * after it was first read. Events of jobs that retention removed are gone, and progress events that
 * were never persisted are not in the log.
 *
 * {@snippet :
 * EventCursor cursor = taskflow.eventCursor("audit");
 * long at = cursor.position();
 * List<JobEvent> page = cursor.read(at, 500);
 * if (!page.isEmpty()) {
 *   List<JobRequest> jobs = requestsFor(page);
 *   if (!cursor.advance(at, page.getLast().seq(), jobs)) {
 *     // another server advanced it first: read the position again
 *   }
 * }
 * }
 */
public final class EventCursor {
  /** The most events one {@link #read} returns. */
  public static final int MAX_READ = 1000;

  private final Storage storage;
  private final String name;
  private final String serverId;
  private final Consumer<String> wakeQueue;
  private final Function<List<JobRequest>, List<NewJob>> prepare;

  EventCursor(
      Storage storage,
      String name,
      String serverId,
      Consumer<String> wakeQueue,
      Function<List<JobRequest>, List<NewJob>> prepare) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException(
          "an event cursor name must be 1..200 characters and not blank, was '" + name + "'");
    }
    this.storage = storage;
    this.name = name;
    this.serverId = serverId;
    this.wakeQueue = wakeQueue;
    this.prepare = prepare;
  }

  /**
   * Whether the store keeps event cursors. When it does not, every other method here throws {@link
   * FeatureUnsupportedException}.
   */
  public boolean supported() {
    return StorageFeature.CURSORS.isIn(storage);
  }

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  public EventCursor requireSupported() {
    store();
    return this;
  }

  private CursorStore store() {
    return storage.cursors().orElseThrow(() -> StorageFeature.CURSORS.missingIn(storage));
  }

  public String name() {
    return name;
  }

  /** The sequence of the last event handled; creates the cursor at the end of the log if new. */
  public long position() {
    return store().get(name);
  }

  /**
   * Persisted events of every job with a sequence after {@code after}, oldest first.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..{@value #MAX_READ}
   */
  public List<JobEvent> read(long after, int limit) {
    if (limit < 1 || limit > MAX_READ) {
      throw new IllegalArgumentException(
          "event cursor '" + name + "': read limit must be 1.." + MAX_READ + ", was " + limit);
    }
    return storage.eventsSince(new EventsSinceParams(after, null, limit));
  }

  /**
   * Checks a request exactly as {@link TaskFlow#enqueue(JobRequest)} would, without writing: a
   * caller can leave out a request that would make a whole {@link #advance} fail.
   *
   * @throws InvalidJobException naming the field and rule
   */
  public void check(JobRequest request) {
    prepare.apply(List.of(request));
  }

  /**
   * Moves the cursor from {@code expected} to {@code next} and enqueues {@code jobs} in the same
   * transaction, with the validation and defaults of {@link TaskFlow#enqueueAll} (unique keys
   * included); this server's fetchers of their queues are woken.
   *
   * @return false, with nothing written, when the cursor was not at {@code expected} (another
   *     server advanced it): read {@link #position()} again
   * @throws InvalidJobException naming the first bad request ({@code jobs/i/...}); nothing written
   */
  public boolean advance(long expected, long next, List<JobRequest> jobs) {
    requireSupported();
    List<NewJob> news = jobs.isEmpty() ? List.of() : prepare.apply(jobs);
    boolean moved = store().advance(new CursorAdvanceParams(name, expected, next, news, serverId));
    if (moved) {
      Set<String> queues = new LinkedHashSet<>();
      for (NewJob j : news) queues.add(j.queue());
      queues.forEach(wakeQueue);
    }
    return moved;
  }

  @Override
  public String toString() {
    return "EventCursor[" + name + "]";
  }
}
