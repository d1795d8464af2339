package dev.taskflow.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured figure: {@code bench sqlite drain_100k jobs_per_s=18234 ratio_to_ceiling=0.41}.
 *
 * @param store the store label (memory, sqlite, postgres)
 * @param name the figure, e.g. {@code drain_100k}
 * @param values the numbers, in print order; the first is the headline
 * @param load the 1-minute load average read just before the figure was taken
 */
record Figure(String store, String name, Map<String, Double> values, double load) {
  Figure {
    values = new LinkedHashMap<>(values);
  }

  static Figure of(String store, String name, double load, Object... keyValues) {
    Map<String, Double> v = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      v.put((String) keyValues[i], ((Number) keyValues[i + 1]).doubleValue());
    }
    return new Figure(store, name, v, load);
  }

  Figure with(String key, double value) {
    Map<String, Double> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new Figure(store, name, v, load);
  }

  double get(String key) {
    Double v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("figure " + store + " " + name + " has no " + key);
    }
    return v;
  }

  /** The printed line; {@code load} is the 1-minute load average before the figure. */
  String line() {
    StringBuilder sb = new StringBuilder("bench ").append(store).append(' ').append(name);
    values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(format(v)));
    sb.append(" load=").append(String.format(Locale.ROOT, "%.2f", load));
    return sb.toString();
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    if (Math.abs(v) >= 100) return Long.toString(Math.round(v));
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
