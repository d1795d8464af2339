package dev.taskflow;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the servers sharing the store report; see {@link TaskFlow#cluster()}. */
public interface Cluster {

  /** This server's id, as in leases, history and {@link #servers()}. */
  String serverId();

  /** Servers that heartbeated recently. */
  List<ServerInfo> servers();

  /** Job counts per state, from counters (never a scan of history). */
  Map<JobState, Long> stateCounts();

  /** The job types this server accepts (enqueueing another type is refused). */
  Set<String> jobTypes();

  /**
   * The largest {@code args} this server accepts, in UTF-8 bytes of JSON ({@link
   * TaskFlowBuilder#maxArgsBytes}): an enqueue with larger args is refused with {@link
   * InvalidJobException} (field {@code args}, rule {@code max_size}). The HTTP API reads its limit
   * here, so the two cannot disagree.
   */
  int maxArgsBytes();

  /**
   * The sequence of the newest persisted event ({@code 0} when the log is empty): a resume position
   * beyond it names no event this log ever had (a client of a store that was restored from a
   * backup, or of another cluster).
   */
  long latestEventSeq();
}
