package dev.taskflow.dashboard;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobFlow;
import dev.taskflow.JobState;
import dev.taskflow.JobTransitions;
import dev.taskflow.ServerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The models the templates render; one record per page or fragment. */
final class Views {
  private Views() {}

  /** The states in the order the dashboard shows them. */
  static final List<JobState> STATES =
      List.of(
          JobState.ENQUEUED,
          JobState.PROCESSING,
          JobState.SCHEDULED,
          JobState.AWAITING,
          JobState.COMPLETED,
          JobState.FAILED,
          JobState.CANCELLED,
          JobState.DELETED);

  /**
   * What every page shares.
   *
   * @param nav the active navigation item: overview, queues, jobs, servers
   * @param base the path the dashboard is mounted at, "" for the root
   * @param csrf the session's CSRF token ("" when read-only)
   * @param live the SSE stream that keeps this page current, or null
   * @param notice a one-line message after an action, or null
   */
  record Layout(
      String title,
      String nav,
      String base,
      String csrf,
      boolean readOnly,
      String live,
      String notice) {}

  record StateCount(JobState state, long count) {}

  /**
   * A queue as the dashboard shows it.
   *
   * @param concurrency the sum of the live servers' concurrency for it
   * @param servers how many live servers run it
   * @param maxDepth the most waiting jobs it accepts, or null when unbounded
   */
  record QueueRow(
      String name,
      Map<JobState, Long> counts,
      Duration oldestAge,
      boolean paused,
      int concurrency,
      int servers,
      Integer maxDepth) {
    long count(JobState s) {
      return counts.getOrDefault(s, 0L);
    }
  }

  /** The live part of the overview: counters, throughput, queues, servers. */
  record OverviewLive(
      Layout page,
      List<StateCount> counts,
      long completedInWindow,
      long failedInWindow,
      String window,
      List<QueueRow> queues,
      int servers,
      int running,
      Instant now,
      String chartJson) {}

  /**
   * @param limits the cluster-wide limits with their use now (empty when there are none)
   * @param resources this server's adaptive resource limits (empty when there are none)
   */
  record QueuesLive(
      Layout page,
      List<QueueRow> queues,
      List<LimitRow> limits,
      Instant now,
      List<dev.taskflow.ResourceInfo> resources) {}

  /**
   * A limit on the queues page.
   *
   * @param appliesTo its selectors, e.g. {@code type email.send, any queue}
   * @param maxRunning "—" when it has none
   * @param rate e.g. {@code 100 / PT1M}, or "—"
   */
  record LimitRow(
      String name,
      String appliesTo,
      String scope,
      String maxRunning,
      String rate,
      long running,
      long recentStarts) {}

  record ServersLive(Layout page, List<ServerInfo> servers, Instant now) {}

  /**
   * @param tabs one per state, with its count, then "all"
   * @param types the registered job types (for the type filter's suggestions)
   */
  record JobsLive(
      Layout page,
      JobFilter filter,
      List<Job> jobs,
      String nextCursor,
      List<StateCount> tabs,
      Instant now) {}

  record JobsPage(JobsLive live, List<String> types, List<String> queues) {}

  /**
   * @param logs the job's {@code job.log} events, oldest first
   * @param custom events a handler emitted (types outside {@code job.*})
   * @param queuePosition jobs ahead of it while enqueued, else null
   * @param limits the cluster-wide limits that count this job, each with the bucket it counts in
   */
  record JobLive(
      Layout page,
      Job job,
      List<JobEvent> logs,
      List<JobEvent> custom,
      Long queuePosition,
      Instant now,
      List<java.util.UUID> children,
      List<JobLimit> limits) {
    /**
     * How long the unique key blocks duplicates after enqueue ({@code uniqueFor}), or null when it
     * blocks them only while the job is live.
     */
    Duration uniquePeriod() {
      Instant until = job.flow().uniqueUntil();
      return until == null ? null : Duration.between(job.createdAt(), until);
    }

    /** Why the job was cancelled ({@code expired}, a parent's failure, ...), or null. */
    String cancelReason() {
      if (job.state() != JobState.CANCELLED) return null;
      for (int i = job.history().size() - 1; i >= 0; i--) {
        var h = job.history().get(i);
        if (h.state() == JobState.CANCELLED) return h.reason();
      }
      return null;
    }

    /** Whether its start deadline cancelled the job (the reason {@link JobFlow#startBy} names). */
    boolean expired() {
      return "expired".equals(cancelReason());
    }

    boolean canRetry() {
      return !page.readOnly() && JobTransitions.canRetry(job.state());
    }

    boolean canCancel() {
      return !page.readOnly() && JobTransitions.canCancel(job.state());
    }

    boolean canDelete() {
      return !page.readOnly() && JobTransitions.canDelete(job.state());
    }
  }

  /**
   * A limit that counts a job.
   *
   * @param scope {@code global}, {@code key} or {@code owner}
   * @param bucket the owner or concurrency key it counts the job under; "" for a global limit
   */
  record JobLimit(String name, String scope, String bucket) {}

  record Problem(Layout page, int status, String message) {}

  /** A batch and its member counts per state (in {@link #STATES} order). */
  record BatchPage(
      Layout page, dev.taskflow.BatchInfo batch, List<StateCount> counts, Instant now) {}
}
