package dev.taskflow.cluster;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.StorageException;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the processing jobs while a run goes on: for every attempt it sees, who held the lease
 * and the latest lease expiry. Afterwards {@link #violations} checks that no job was ever held by
 * two live leases: one owner per attempt, and an attempt claimed only after the previous attempt's
 * lease had expired (both times on the store's clock).
 */
final class LeaseSampler implements AutoCloseable {
  private static final int PAGE = 1000;

  record Attempt(UUID id, int attempt) {}

  private final Storage storage;
  private final Map<Attempt, Set<String>> owners = new ConcurrentHashMap<>();
  private final Map<Attempt, Instant> latestExpiry = new ConcurrentHashMap<>();
  private final AtomicLong samples = new AtomicLong();
  private final BackgroundLoop loop;

  LeaseSampler(Storage storage) {
    this.storage = storage;
    this.loop = new BackgroundLoop("lease-sampler", Duration.ofMillis(10), this::sampleOnce);
  }

  private void sampleOnce() {
    try {
      sample();
      samples.incrementAndGet();
    } catch (StorageException e) {
      // e.g. while the database restarts: the next round samples again
    }
  }

  private void sample() {
    UUID before = null;
    while (true) {
      List<Job> page =
          storage.jobList(
              new JobListParams(Set.of(JobState.PROCESSING), null, null, null, null, before, PAGE));
      for (Job j : page) {
        if (j.state() != JobState.PROCESSING) continue;
        Attempt a = new Attempt(j.id(), j.attempt());
        owners.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet()).add(j.leaseOwner());
        if (j.leaseExpiresAt() != null) {
          latestExpiry.merge(a, j.leaseExpiresAt(), (x, y) -> x.isAfter(y) ? x : y);
        }
      }
      if (page.size() < PAGE) return;
      before = page.getLast().id();
    }
  }

  long samples() {
    return samples.get();
  }

  /** How many distinct attempts were seen processing. */
  int attemptsSeen() {
    return owners.size();
  }

  /** Attempts seen processing under the lease of {@code node}. */
  long attemptsHeldBy(Node node) {
    return owners.values().stream().filter(s -> s.stream().anyMatch(node::owns)).count();
  }

  /**
   * Every sign of two live leases on one job: an attempt seen under two owners, or an attempt
   * claimed (its {@code job.started} time) before the previous attempt's lease had expired.
   */
  List<String> violations(StoreAudit audit) {
    List<String> out = new ArrayList<>();
    owners.forEach(
        (a, s) -> {
          if (s.size() > 1) out.add(a.id() + " attempt " + a.attempt() + " held by " + s);
        });
    latestExpiry.forEach(
        (a, expiry) -> {
          for (StoreAudit.Start later : audit.trail(a.id()).starts) {
            if (later.attempt() > a.attempt() && later.at().isBefore(expiry)) {
              out.add(
                  a.id()
                      + " attempt "
                      + later.attempt()
                      + " claimed at "
                      + later.at()
                      + " by "
                      + later.server()
                      + " while attempt "
                      + a.attempt()
                      + " of "
                      + owners.get(a)
                      + " held its lease until "
                      + expiry);
            }
          }
        });
    return out;
  }

  @Override
  public void close() {
    loop.close();
  }
}
