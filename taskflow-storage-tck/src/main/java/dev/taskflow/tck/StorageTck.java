package dev.taskflow.tck;

import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import dev.taskflow.test.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The storage contract as one abstract JUnit suite: a store is done when its subclass passes.
 *
 * {@snippet :
 * class SqliteStorageTckTest extends StorageTck {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected Storage createStorage(Clock clock) {
 *     return new SqliteStorage(dir.resolve("tck.db"), clock);
 *   }
 * }
 * }
 *
 * <p>Each test gets a fresh, empty store from {@link #createStorage(Clock)}, opened by the suite
 * and closed after the test. The clock is a {@link ManualClock} that starts at {@link #T0} and
 * moves only when the test advances it, so the store must read time from it for every due-time and
 * lease comparison. The tests are grouped by topic in the {@code *Contract} interfaces.
 *
 * <p>The core contracts run on every store. Each optional feature's contracts run in a nested suite
 * ({@link Webhooks}, {@link Limits}, {@link Recurring}, {@link Flows}, {@link Cursors}) only when
 * the store hands the feature out ({@link Storage#webhooks()}, ...); for a store without it, every
 * test of the suite is reported skipped (aborted by an assumption), never passed.
 */
public abstract class StorageTck
    implements InsertContract,
        ClaimContract,
        FencingContract,
        FinishContract,
        RescueAndPromotionContract,
        UniqueKeyContract,
        TransitionContract,
        QueueAndCounterContract,
        RetentionContract,
        ListContract,
        EventLogContract,
        ServerContract,
        LeaderContract,
        JobControlContract,
        DurabilityContract {

  /** Where every test's clock starts. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private ManualClock clock;
  private Storage store;
  private final AtomicLong idCounter = new AtomicLong();

  /**
   * A new, empty store on the given clock, not yet opened (the suite calls {@link Storage#open()}).
   */
  protected abstract Storage createStorage(Clock clock);

  /**
   * A new store on the same data as {@code closed}, which the suite has just closed; not yet
   * opened. Stores that keep nothing across a close (the in-memory one) keep this default, which
   * skips the durability tests.
   */
  protected Storage reopen(Storage closed, Clock clock) {
    return Assumptions.abort(
        "this store keeps no data across close(); override reopen(Storage, Clock) to test it");
  }

  @BeforeEach
  final void openFreshStore() {
    clock = ManualClock.at(T0);
    store = createStorage(clock);
    store.open();
  }

  @AfterEach
  final void closeStore() {
    if (store != null) store.close();
  }

  @Override
  public final Storage store() {
    return store;
  }

  @Override
  public final ManualClock clock() {
    return clock;
  }

  @Override
  public final UUID newId() {
    long millis = T0.toEpochMilli() + idCounter.getAndIncrement();
    long msb = (millis << 16) | 0x7000L | ThreadLocalRandom.current().nextLong(0x1000);
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  // ------------------------------------------------------------------ optional features

  /**
   * A nested suite for one optional feature: it runs on the outer suite's fresh store, and only
   * when the store hands the feature out.
   */
  abstract class FeatureSuite implements TckSupport {
    private final StorageFeature feature;

    FeatureSuite(StorageFeature feature) {
      this.feature = feature;
    }

    @BeforeEach
    final void requireFeature() {
      Assumptions.assumeTrue(
          feature.isIn(store()),
          () ->
              "the "
                  + store().capabilities().name()
                  + " store does not keep "
                  + feature.description());
    }

    @Override
    public final Storage store() {
      return StorageTck.this.store();
    }

    @Override
    public final ManualClock clock() {
      return StorageTck.this.clock();
    }

    @Override
    public final UUID newId() {
      return StorageTck.this.newId();
    }
  }

  /** {@link StorageFeature#WEBHOOKS}. */
  @Nested
  class Webhooks extends FeatureSuite implements WebhookContract {
    Webhooks() {
      super(StorageFeature.WEBHOOKS);
    }
  }

  /** {@link StorageFeature#LIMITS}. */
  @Nested
  class Limits extends FeatureSuite implements LimitContract {
    Limits() {
      super(StorageFeature.LIMITS);
    }
  }

  /** {@link StorageFeature#RECURRING}. */
  @Nested
  class Recurring extends FeatureSuite implements RecurringContract {
    Recurring() {
      super(StorageFeature.RECURRING);
    }
  }

  /** {@link StorageFeature#FLOWS}: dependencies and batches. */
  @Nested
  class Flows extends FeatureSuite implements DependencyContract, BatchContract {
    Flows() {
      super(StorageFeature.FLOWS);
    }
  }

  /** {@link StorageFeature#CURSORS}. */
  @Nested
  class Cursors extends FeatureSuite implements CursorContract {
    Cursors() {
      super(StorageFeature.CURSORS);
    }
  }

  // ------------------------------------------------------------------ plumbing

  @Override
  public final void reopenStore() {
    Storage old = store;
    old.close();
    store = null;
    Storage reopened = reopen(old, clock);
    reopened.open();
    store = reopened;
  }
}
