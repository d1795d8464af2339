package dev.taskflow.internal.engine;

import dev.taskflow.Job;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Per-type concurrency caps on this server, shared by every queue's fetcher. A fetcher reserves the
 * free permits of each capped type before it claims, so two fetchers claiming at once cannot both
 * spend the same capacity, and gives back what the claim did not use.
 */
final class TypeCaps {
  private final Map<String, Semaphore> permits = new HashMap<>();

  TypeCaps(Map<String, Integer> caps) {
    caps.forEach((type, cap) -> permits.put(type, new Semaphore(cap)));
  }

  /** Takes every free permit of every capped type: the claim may use up to that many of each. */
  Map<String, Integer> reserve() {
    if (permits.isEmpty()) return Map.of();
    Map<String, Integer> reserved = new HashMap<>();
    permits.forEach((type, s) -> reserved.put(type, s.drainPermits()));
    return reserved;
  }

  /** Returns the reserved permits the claimed jobs did not use; the used ones stay taken. */
  void settle(Map<String, Integer> reserved, List<Job> claimed) {
    if (reserved.isEmpty()) return;
    Map<String, Integer> unused = new HashMap<>(reserved);
    for (Job j : claimed) unused.computeIfPresent(j.type(), (t, n) -> n - 1);
    unused.forEach(
        (type, n) -> {
          if (n > 0) permits.get(type).release(n);
        });
  }

  /** A job of this type finished here: its permit is free again. */
  void release(String type) {
    Semaphore s = permits.get(type);
    if (s != null) s.release();
  }
}
