package dev.taskflow.server;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as left-aligned columns, two spaces apart; the first row is the header. */
final class Tables {
  private Tables() {}

  static void print(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]);
        if (i < r.length - 1) line.append(" ".repeat(widths[i] - r[i].length() + 2));
      }
      out.println(line);
    }
  }
}
