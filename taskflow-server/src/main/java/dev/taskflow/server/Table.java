package dev.taskflow.server;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows printed as left-aligned columns, two spaces apart, under a header. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** Prints the header and the rows, or only {@code none} when there are no rows. */
  boolean print(PrintWriter out, String none) {
    if (rows.size() == 1) {
      out.println(none);
      return false;
    }
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
    return true;
  }
}
