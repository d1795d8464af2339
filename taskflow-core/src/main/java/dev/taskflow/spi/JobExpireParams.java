package dev.taskflow.spi;

/**
 * Parameters of {@link Storage#jobExpireDue}.
 *
 * @param serverId the server that runs the sweep, for the history
 * @param limit at most this many jobs per call
 */
public record JobExpireParams(String serverId, int limit) {
  /** The reason an expired job is cancelled with, in its history and its event. */
  public static final String REASON = "expired";
}
