package dev.taskflow.web.dashboard;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Query results shared by the live streams that show the same thing: one store query per key and
 * freshness window, however many browsers watch it (each stream still renders its own page, which
 * holds its session's CSRF token). Streams that wait for the same key wait for one query, not one
 * each; queries marked {@code expensive} (text searches over args) also run one at a time across
 * all keys, so many different searches queue instead of taking every core.
 */
final class SharedResults<K, V> {
  private record Entry<V>(long at, V value) {}

  private final ConcurrentHashMap<K, Entry<V>> results = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<K, Object> locks = new ConcurrentHashMap<>();
  private final Semaphore expensive = new Semaphore(1, true);
  private final int maxKeys;

  SharedResults(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /** The result for {@code key} if one is younger than {@code maxAgeNanos}, else a fresh one. */
  V get(K key, long maxAgeNanos, boolean isExpensive, Supplier<V> query) {
    Entry<V> e = results.get(key);
    if (e != null && System.nanoTime() - e.at() < maxAgeNanos) return e.value();
    Object lock = locks.computeIfAbsent(key, k -> new Object());
    synchronized (lock) {
      e = results.get(key);
      if (e != null && System.nanoTime() - e.at() < maxAgeNanos) return e.value();
      V v;
      if (isExpensive) {
        expensive.acquireUninterruptibly();
        try {
          v = query.get();
        } finally {
          expensive.release();
        }
      } else {
        v = query.get();
      }
      if (results.size() >= maxKeys) evictOlderThan(maxAgeNanos);
      results.put(key, new Entry<>(System.nanoTime(), v));
      return v;
    }
  }

  private void evictOlderThan(long ageNanos) {
    long now = System.nanoTime();
    results.entrySet().removeIf(en -> now - en.getValue().at() >= ageNanos);
    if (results.size() >= maxKeys) results.clear(); // all fresh and still too many: start over
    locks.keySet().retainAll(results.keySet());
  }
}
