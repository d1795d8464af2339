package dev.taskflow.dashboard;

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

  /**
   * The result for {@code key} if one younger than {@code maxAgeNanos} was computed at or after
   * {@code notBefore} (a nanoTime; {@code Long.MIN_VALUE} for any), else a fresh one. {@code
   * notBefore} is when the caller learnt of a change: a result from before it may not show it.
   */
  V get(K key, long notBefore, long maxAgeNanos, boolean isExpensive, Supplier<V> query) {
    Entry<V> e = results.get(key);
    if (usable(e, notBefore, maxAgeNanos)) return e.value();
    Object lock = locks.computeIfAbsent(key, k -> new Object());
    synchronized (lock) {
      e = results.get(key);
      if (usable(e, notBefore, maxAgeNanos)) return e.value();
      long at = System.nanoTime(); // before the query: it shows at least everything until now
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
      results.put(key, new Entry<>(at, v));
      return v;
    }
  }

  private static boolean usable(Entry<?> e, long notBefore, long maxAgeNanos) {
    return e != null
        && System.nanoTime() - e.at() < maxAgeNanos
        && (notBefore == Long.MIN_VALUE || e.at() - notBefore >= 0);
  }

  private void evictOlderThan(long ageNanos) {
    long now = System.nanoTime();
    results.entrySet().removeIf(en -> now - en.getValue().at() >= ageNanos);
    if (results.size() >= maxKeys) results.clear(); // all fresh and still too many: start over
    locks.keySet().retainAll(results.keySet());
  }
}
