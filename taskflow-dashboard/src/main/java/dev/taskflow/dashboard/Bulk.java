package dev.taskflow.dashboard;

import dev.taskflow.IllegalTransitionException;
import dev.taskflow.Job;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobQuery;
import dev.taskflow.Page;
import dev.taskflow.TaskFlowClient;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * Bulk retry, cancel and delete: for a list of ids, or for every job matching a filter (paged
 * through the keyset listing, so memory stays flat). A job whose state forbids the action, or that
 * is gone, is skipped and counted, never an error.
 */
final class Bulk {
  /** The most jobs one "matching this filter" request changes; the operator runs it again. */
  static final int MAX_MATCHING = 10_000;

  private static final int PAGE = 500;

  enum Action {
    RETRY("retried"),
    CANCEL("cancelled"),
    DELETE("deleted");

    final String done;

    Action(String done) {
      this.done = done;
    }

    static Action parse(String s) {
      if (s == null) return null;
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /**
   * @param changed jobs the action changed
   * @param skipped jobs whose state forbids it, or that no longer exist
   * @param more whether jobs past {@link #MAX_MATCHING} still match
   */
  record Outcome(int changed, int skipped, boolean more) {}

  private final TaskFlowClient client;

  Bulk(TaskFlowClient client) {
    this.client = client;
  }

  Outcome apply(Action action, List<UUID> ids) {
    int changed = 0;
    int skipped = 0;
    for (UUID id : ids) {
      if (one(action, id)) changed++;
      else skipped++;
    }
    return new Outcome(changed, skipped, false);
  }

  /**
   * Applies the action to every job the query lists. The keyset walks ids downwards, so jobs the
   * action moves to another state are never met twice.
   */
  Outcome applyMatching(Action action, JobFilter filter) {
    if (filter.qAsId() != null) { // that job only, if it passes the filter
      return apply(action, filter.page(client, 1).items().stream().map(Job::id).toList());
    }
    int changed = 0;
    int skipped = 0;
    JobQuery q = filter.query(client.cluster().jobTypes(), PAGE).cursor(null);
    while (true) {
      Page<Job> page = client.list(q);
      for (Job j : page.items()) {
        if (changed + skipped >= MAX_MATCHING) return new Outcome(changed, skipped, true);
        if (one(action, j.id())) changed++;
        else skipped++;
      }
      if (page.nextCursor() == null) return new Outcome(changed, skipped, false);
      q = q.cursor(page.nextCursor());
    }
  }

  private boolean one(Action action, UUID id) {
    Function<UUID, Job> f =
        switch (action) {
          case RETRY -> client::retry;
          case CANCEL -> client::cancel;
          case DELETE -> client::delete;
        };
    try {
      f.apply(id);
      return true;
    } catch (IllegalTransitionException | JobNotFoundException e) {
      return false;
    }
  }
}
