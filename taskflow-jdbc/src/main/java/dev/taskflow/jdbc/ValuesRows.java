package dev.taskflow.jdbc;

import java.util.List;

/**
 * Helpers for statements that carry many rows in one {@code VALUES} list, so that a batch is one
 * statement (one parse, one execution) instead of one execution per row.
 */
final class ValuesRows {
  /** Rows per statement: within SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
  private static final int MAX_PARAMS = 30_000;

  private static final int MAX_ROWS = 500;

  private ValuesRows() {}

  /** How many rows of {@code paramsPerRow} fit one statement. */
  static int chunkSize(int paramsPerRow) {
    return Math.max(1, Math.min(MAX_ROWS, MAX_PARAMS / paramsPerRow));
  }

  /** {@code (row), (row), ...} with {@code n} copies of {@code row}, e.g. {@code (?, ?, ?)}. */
  static String rows(int n, String row) {
    StringBuilder sb = new StringBuilder(n * (row.length() + 2));
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(", ");
      sb.append(row);
    }
    return sb.toString();
  }

  /** The consecutive slices of at most {@code size} elements. */
  static <T> List<List<T>> chunks(List<T> all, int size) {
    if (all.size() <= size) return List.of(all);
    java.util.ArrayList<List<T>> out = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }
}
