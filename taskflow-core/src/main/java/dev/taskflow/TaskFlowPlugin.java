package dev.taskflow;

/**
 * An extension of TaskFlow, installed with one call: {@code TaskFlow.builder().plugin(p)}. Webhook
 * delivery is one; bridges and authentication are others.
 *
 * <p>{@link #install} runs once, inside {@link TaskFlowBuilder#build()}: register the plugin's
 * workers and listeners there and keep the context. {@link #built()} runs when the TaskFlow is
 * built, {@link #start()} after the engine started and {@link #stop()} before it stops (plugins
 * stop in the reverse order of installation), so a plugin's background work never outlives the
 * store it uses.
 *
 * {@snippet :
 * TaskFlow taskflow = TaskFlow.builder()
 *     .storage(store)
 *     .plugin(new WebhookDelivery(WebhookPolicy.defaults()))
 *     .build()
 *     .start();
 * }
 */
public interface TaskFlowPlugin {
  /**
   * The type prefix of TaskFlow's own jobs and its plugins' (such as {@code
   * taskflow.webhook.deliver}). Only its servers run them: the HTTP API refuses to enqueue them and
   * remote workers never lease them.
   */
  String INTERNAL_TYPE_PREFIX = "taskflow.";

  /** A short name for logs and errors, such as {@code webhooks}. */
  String name();

  /**
   * Registers workers and listeners through {@code context}; called once, while the TaskFlow is
   * built. The context's other methods work from the moment {@code build()} returns.
   */
  void install(PluginContext context);

  /**
   * Called once the TaskFlow is built, before {@link #start()}: the context's client and hooks work
   * from here on. Create durable state here (such as an event cursor), so that what is enqueued
   * between build and start is seen.
   */
  default void built() {}

  /** Starts the plugin's background work; called by {@link TaskFlow#start()}. */
  default void start() {}

  /**
   * Stops the plugin's background work; called by {@link TaskFlow#close()} before the engine stops.
   */
  default void stop() {}
}
