package dev.taskflow.dashboard;

import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.LimitUsage;
import dev.taskflow.Page;
import dev.taskflow.QueueInfo;
import dev.taskflow.ServerInfo;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.dashboard.Views.JobLive;
import dev.taskflow.dashboard.Views.JobsLive;
import dev.taskflow.dashboard.Views.Layout;
import dev.taskflow.dashboard.Views.LimitRow;
import dev.taskflow.dashboard.Views.OverviewLive;
import dev.taskflow.dashboard.Views.QueueRow;
import dev.taskflow.dashboard.Views.QueuesLive;
import dev.taskflow.dashboard.Views.ServersLive;
import dev.taskflow.dashboard.Views.StateCount;
import dev.taskflow.web.ThroughputTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the model of each page from {@link TaskFlowClient} reads. Counts come from the store's
 * counters ({@code stateCounts}, {@code queues}), lists from keyset pages: nothing here scans the
 * job table, so a page costs the same with a thousand jobs or a million.
 */
final class Pages {
  static final int PAGE_SIZE = 50;

  /** A job's events read for its page; older ones past this are not shown. */
  static final int MAX_EVENTS = 1000;

  private final TaskFlowClient client;
  private final ThroughputTracker throughput;
  private final Clock clock;

  private final SharedResults<JobFilter, Page<Job>> liveResults = new SharedResults<>(1_000);

  Pages(TaskFlowClient client, ThroughputTracker throughput, Clock clock) {
    this.client = client;
    this.throughput = throughput;
    this.clock = clock;
  }

  OverviewLive overview(Layout page) {
    Map<JobState, Long> counts = client.cluster().stateCounts();
    List<ThroughputTracker.Point> points = throughput.snapshot();
    long completed = 0;
    long failed = 0;
    StringBuilder t = new StringBuilder("[[");
    StringBuilder c = new StringBuilder("[");
    StringBuilder f = new StringBuilder("[");
    for (int i = 0; i < points.size(); i++) {
      ThroughputTracker.Point p = points.get(i);
      completed += p.completed();
      failed += p.failed();
      String sep = i == 0 ? "" : ",";
      t.append(sep).append(p.time().getEpochSecond());
      c.append(sep).append(p.completed());
      f.append(sep).append(p.failed());
    }
    String chart = t.append("],").append(c).append("],").append(f).append("]]").toString();
    List<ServerInfo> servers = client.cluster().servers();
    int running = servers.stream().mapToInt(ServerInfo::running).sum();
    return new OverviewLive(
        page,
        stateCounts(counts),
        completed,
        failed,
        Fmt.span(Duration.ofSeconds(points.size())).replace(" 0s", ""),
        queues(servers),
        servers.size(),
        running,
        clock.instant(),
        chart);
  }

  QueuesLive queues(Layout page) {
    return new QueuesLive(
        page,
        queues(client.cluster().servers()),
        limits(),
        clock.instant(),
        client.queues().resources());
  }

  /**
   * The cluster-wide limits (at most {@link #PAGE_SIZE}) with their use now; none when the store
   * keeps no limits.
   */
  private List<LimitRow> limits() {
    TaskFlowClient tf = client;
    if (!tf.limits().supported()) return List.of();
    List<LimitRow> out = new ArrayList<>();
    for (FlowLimit l : tf.limits().list().items()) {
      if (out.size() >= PAGE_SIZE) break;
      Optional<LimitUsage> u = tf.limits().usage(l.name());
      out.add(
          new LimitRow(
              l.name(),
              (l.type() == null ? "any type" : "type " + l.type())
                  + ", "
                  + (l.queue() == null ? "any queue" : "queue " + l.queue()),
              l.scope().wireName(),
              l.maxRunning() == null ? "—" : l.maxRunning().toString(),
              l.hasRate() ? l.rateCount() + " / " + l.ratePeriod() : "—",
              u.map(LimitUsage::totalRunning).orElse(0L),
              u.map(LimitUsage::totalRecentStarts).orElse(0L)));
    }
    return out;
  }

  ServersLive servers(Layout page) {
    List<ServerInfo> servers = new ArrayList<>(client.cluster().servers());
    servers.sort(Comparator.comparing(ServerInfo::host).thenComparing(ServerInfo::id));
    return new ServersLive(page, servers, clock.instant());
  }

  /**
   * The Jobs list: one keyset page of the filter, plus the per-state counters for the tabs (from
   * counters, so they ignore the other filters).
   */
  JobsLive jobs(Layout page, JobFilter filter) {
    return jobs(page, filter, null);
  }

  /**
   * The Jobs list; for a live stream's re-render ({@code mustShowSince} not null) the store query
   * is shared with every stream showing the same filter for {@link Dashboard#THROTTLE} (a text
   * search for {@link Dashboard#SEARCH_THROTTLE}, and one search at a time), but only a result
   * computed after {@code mustShowSince} (nanoTime; {@code Long.MIN_VALUE} for any) is reused.
   */
  JobsLive jobs(Layout page, JobFilter filter, Long mustShowSince) {
    Page<Job> result;
    JobFilter f = filter;
    try {
      result = query(f, mustShowSince);
    } catch (IllegalArgumentException e) {
      // A cursor this server did not issue (edited URL): start over at the first page.
      f = f.withCursor(null);
      result = query(f, mustShowSince);
    }
    return new JobsLive(
        page,
        f,
        result.items(),
        result.nextCursor(),
        stateCounts(client.cluster().stateCounts()),
        clock.instant());
  }

  private Page<Job> query(JobFilter f, Long mustShowSince) {
    if (mustShowSince == null) return f.page(client, PAGE_SIZE);
    boolean search = f.textSearch(client.cluster().jobTypes());
    long maxAge = (search ? Dashboard.SEARCH_THROTTLE : Dashboard.THROTTLE).toNanos();
    return liveResults.get(f, mustShowSince, maxAge, search, () -> f.page(client, PAGE_SIZE));
  }

  /** The job page's model, or empty when no job has the id. */
  Optional<JobLive> job(Layout page, UUID id) {
    Optional<Job> found = client.get(id);
    if (found.isEmpty()) return Optional.empty();
    Job job = found.get();
    List<JobEvent> logs = new ArrayList<>();
    List<JobEvent> custom = new ArrayList<>();
    for (JobEvent e : client.events(id, null, MAX_EVENTS)) {
      if (e.type().equals(JobEvent.LOG)) logs.add(e);
      else if (!e.type().startsWith("job.")) custom.add(e);
    }
    Long position = null;
    if (job.state() == JobState.ENQUEUED) {
      var p = client.queues().position(id);
      if (p.isPresent()) position = p.getAsLong();
    }
    List<UUID> children = List.of();
    List<Views.JobLimit> limits = new ArrayList<>();
    if (client.batches().supported()) children = client.batches().dependents(id, 50);
    for (FlowLimit l :
        client.limits().supported() ? client.limits().list().items() : List.<FlowLimit>of()) {
      String bucket = l.bucket(job.owner(), job.flow().concurrencyKey());
      if (l.matches(job.type(), job.queue()) && bucket != null) {
        limits.add(new Views.JobLimit(l.name(), l.scope().wireName(), bucket));
      }
    }
    return Optional.of(
        new JobLive(page, job, logs, custom, position, clock.instant(), children, limits));
  }

  /** A batch's page, or empty when no batch has the id (or batches are not available). */
  Optional<Views.BatchPage> batch(Layout page, UUID id) {
    if (!client.batches().supported()) return Optional.empty();
    return client
        .batches()
        .get(id)
        .map(b -> new Views.BatchPage(page, b, stateCounts(b.counts()), clock.instant()));
  }

  private static List<StateCount> stateCounts(Map<JobState, Long> counts) {
    List<StateCount> out = new ArrayList<>();
    for (JobState s : Views.STATES) out.add(new StateCount(s, counts.getOrDefault(s, 0L)));
    return out;
  }

  /** The store's queues plus the ones a live server runs, with the servers' concurrency. */
  private List<QueueRow> queues(List<ServerInfo> servers) {
    Map<String, Integer> concurrency = new HashMap<>();
    Map<String, Integer> serverCount = new HashMap<>();
    Map<String, QueueInfo> byName = new TreeMap<>();
    for (ServerInfo s : servers) {
      s.queues()
          .forEach(
              (q, n) -> {
                concurrency.merge(q, n, Integer::sum);
                serverCount.merge(q, 1, Integer::sum);
                byName.putIfAbsent(q, new QueueInfo(q, Map.of(), null, false));
              });
    }
    for (QueueInfo q : client.queues().list()) byName.put(q.name(), q);
    List<QueueRow> rows = new ArrayList<>();
    for (QueueInfo q : byName.values()) {
      rows.add(
          new QueueRow(
              q.name(),
              q.counts(),
              q.oldestEnqueuedAge(),
              q.paused(),
              concurrency.getOrDefault(q.name(), 0),
              serverCount.getOrDefault(q.name(), 0),
              q.maxDepth()));
    }
    return rows;
  }

  Instant now() {
    return clock.instant();
  }
}
