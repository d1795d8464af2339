package dev.taskflow;

import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link TaskFlowPlugin} may do: register workers while the TaskFlow is built, then reach
 * the client, the store and the engine's extension hooks (durable event cursors, named leadership,
 * queue wake-ups).
 */
public interface PluginContext {

  /**
   * Registers a worker for a job type, as {@link TaskFlowBuilder#worker(String, Class, Worker)};
   * only during {@link TaskFlowPlugin#install}.
   *
   * @throws IllegalStateException after the TaskFlow was built
   */
  <A> void worker(String type, Class<A> argsClass, Worker<A> worker);

  /**
   * Registers a listener, as {@link TaskFlowBuilder#listener}; only during {@link
   * TaskFlowPlugin#install}.
   *
   * @throws IllegalStateException after the TaskFlow was built
   */
  void listener(JobListener listener);

  /**
   * The TaskFlow the plugin is installed in, seen as a client.
   *
   * @throws IllegalStateException while it is still being built
   */
  TaskFlowClient client();

  /** The store, for plugins that write their own rows in one transaction with jobs. */
  Storage storage();

  /** The clock the engine runs on (a manual one in tests). */
  Clock clock();

  /** This server's id, as in leases, history and the servers list. */
  String serverId();

  /**
   * A durable cursor over the store's event log, for work that turns events into jobs exactly once
   * across the cluster; see {@link EventCursor}.
   */
  EventCursor eventCursor(String name);

  /**
   * Takes or renews a named leadership for this server until the store's now plus {@code ttl}: true
   * while this server holds it. For work that runs on one server of the cluster; renew well within
   * the ttl. The engine's own leadership is named {@code maintenance}: use another name.
   */
  boolean tryLead(String name, Duration ttl);

  /** Gives a leadership taken with {@link #tryLead} up, if this server holds it. */
  void resign(String name);

  /**
   * Validates requests and applies defaults exactly as {@link TaskFlowClient#enqueueAll} does,
   * without inserting: for plugins that insert jobs through their own storage call in one
   * transaction with other writes.
   *
   * @throws InvalidJobException naming the first bad request
   */
  List<NewJob> prepare(List<JobRequest> requests);

  /** Wakes this server's fetchers of the queue after jobs were inserted outside an enqueue. */
  void wakeQueue(String queue);
}
