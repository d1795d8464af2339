package dev.taskflow;

import java.util.List;

/**
 * One page of a job listing.
 *
 * @param items the jobs, newest first
 * @param nextCursor pass it as {@link JobQuery#cursor()} for the next page; null on the last page
 */
public record JobPage(List<Job> items, String nextCursor) {
  public JobPage {
    items = List.copyOf(items);
  }
}
