package dev.taskflow;

import java.util.List;

/**
 * One page of a listing: jobs, schedules, webhooks or limits.
 *
 * @param items this page's items, in the listing's order
 * @param nextCursor pass it back for the next page; null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /** A whole listing in one page. */
  public static <T> Page<T> of(List<T> items) {
    return new Page<>(items, null);
  }

  /** Whether a next page may hold more. */
  public boolean hasNext() {
    return nextCursor != null;
  }
}
