package dev.taskflow.spi;

/**
 * Notifications a store sends when another process changed it (PostgreSQL LISTEN/NOTIFY, Redis
 * pub/sub). They only make the engine react sooner: polling still catches everything.
 */
public interface StoreListener {
  /** Jobs became claimable on this queue (enqueued, promoted, retried, released, rescued). */
  void jobsAvailable(String queue);

  /** Events were appended to the log. */
  void eventsAppended();
}
