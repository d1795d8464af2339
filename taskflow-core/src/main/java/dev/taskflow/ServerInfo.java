package dev.taskflow;

import java.time.Instant;
import java.util.Map;

/**
 * A live TaskFlow server (a process that runs jobs).
 *
 * @param id unique per process start
 * @param host the host name
 * @param startedAt when it started
 * @param lastHeartbeatAt its last heartbeat (store clock)
 * @param queues queue name to concurrency
 * @param running jobs running now
 */
public record ServerInfo(
    String id,
    String host,
    Instant startedAt,
    Instant lastHeartbeatAt,
    Map<String, Integer> queues,
    int running) {
  public ServerInfo {
    queues = Map.copyOf(queues);
  }
}
