package dev.taskflow.cluster;

import dev.taskflow.HistoryEntry;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the store says happened, read through the storage SPI once the run is over: every job with
 * its history, and the event log. Per job it counts claims ({@code job.started}) and completions
 * ({@code job.completed}), and keeps when each attempt started and who ran it.
 */
final class StoreAudit {
  private static final int PAGE = 1000;
  private static final Pattern ATTEMPT = Pattern.compile("\"attempt\"\\s*:\\s*(\\d+)");
  private static final Pattern SERVER = Pattern.compile("\"server\"\\s*:\\s*\"([^\"]*)\"");

  /** One claim of a job: the attempt, the store's time of the claim, and the claiming server. */
  record Start(int attempt, Instant at, String server) {}

  /** What the event log says about one job. */
  static final class Trail {
    final List<Start> starts = new ArrayList<>();
    final List<Integer> completedAttempts = new ArrayList<>();
  }

  final Map<UUID, Job> jobs = new HashMap<>();
  final Map<UUID, Trail> trails = new HashMap<>();

  private StoreAudit() {}

  static StoreAudit read(Storage storage) {
    StoreAudit a = new StoreAudit();
    UUID before = null;
    while (true) {
      List<Job> page =
          storage.jobList(
              new JobListParams(
                  EnumSet.allOf(JobState.class), null, null, null, null, before, PAGE));
      for (Job j : page) a.jobs.put(j.id(), j);
      if (page.size() < PAGE) break;
      before = page.getLast().id();
    }
    long after = 0;
    while (true) {
      List<JobEvent> events = storage.eventsSince(new EventsSinceParams(after, null, 5000));
      for (JobEvent e : events) {
        Trail t = a.trails.computeIfAbsent(e.jobId(), id -> new Trail());
        if (e.type().equals(JobEvent.STARTED)) {
          t.starts.add(new Start(attempt(e), e.time(), text(SERVER, e.dataJson())));
        } else if (e.type().equals(JobEvent.COMPLETED)) {
          t.completedAttempts.add(attempt(e));
        }
      }
      if (events.isEmpty()) break;
      after = events.getLast().seq();
    }
    return a;
  }

  private static int attempt(JobEvent e) {
    String s = text(ATTEMPT, e.dataJson());
    if (s == null) {
      throw new IllegalStateException(
          "event "
              + e.id()
              + " "
              + e.type()
              + " of job "
              + e.jobId()
              + " has no attempt: "
              + e.dataJson());
    }
    return Integer.parseInt(s);
  }

  private static String text(Pattern p, String json) {
    Matcher m = p.matcher(json);
    return m.find() ? m.group(1) : null;
  }

  Trail trail(UUID id) {
    return trails.getOrDefault(id, new Trail());
  }

  /** Ids among {@code ids} that the store does not have. */
  List<UUID> missing(Collection<UUID> ids) {
    return ids.stream().filter(id -> !jobs.containsKey(id)).toList();
  }

  /** Jobs among {@code ids} not in {@code completed}, as "id state attempt". */
  List<String> notCompleted(Collection<UUID> ids) {
    return ids.stream()
        .map(jobs::get)
        .filter(j -> j != null && j.state() != JobState.COMPLETED)
        .map(j -> j.id() + " " + j.state() + " attempt " + j.attempt())
        .toList();
  }

  /** Jobs among {@code ids} whose event log holds a number of completions other than one. */
  List<String> completionsOtherThanOne(Collection<UUID> ids) {
    return ids.stream()
        .filter(id -> trail(id).completedAttempts.size() != 1)
        .map(id -> id + " completed at attempts " + trail(id).completedAttempts)
        .toList();
  }

  /** Jobs among {@code ids} whose history holds a number of completed entries other than one. */
  List<String> historyCompletionsOtherThanOne(Collection<UUID> ids) {
    return ids.stream()
        .map(jobs::get)
        .filter(j -> j != null && completedEntries(j) != 1)
        .map(j -> j.id() + " history " + j.history())
        .toList();
  }

  static long completedEntries(Job j) {
    return j.history().stream().map(HistoryEntry::state).filter(JobState.COMPLETED::equals).count();
  }

  /** Jobs among {@code ids} that ran more than once: attempt above 1 or more than one claim. */
  List<UUID> ranMoreThanOnce(Collection<UUID> ids) {
    return ids.stream()
        .filter(
            id -> {
              Job j = jobs.get(id);
              return (j != null && j.attempt() > 1) || trail(id).starts.size() > 1;
            })
        .toList();
  }

  /** How many attempts of the job ended because their lease expired (the rescuer's error). */
  long leaseExpiries(UUID id) {
    Job j = jobs.get(id);
    return j == null
        ? 0
        : j.errors().stream().filter(e -> "lease_expired".equals(e.type())).count();
  }

  /** The newest finish time among {@code ids} (store clock), or null. */
  Instant lastFinish(Collection<UUID> ids) {
    return ids.stream()
        .map(jobs::get)
        .filter(j -> j != null && j.finishedAt() != null)
        .map(Job::finishedAt)
        .max(Instant::compareTo)
        .orElse(null);
  }
}
