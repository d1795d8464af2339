package dev.taskflow;

/**
 * Hears what happens to jobs, on every server that shares the store. One default method per kind of
 * event: override the ones you need. Register with {@link TaskFlowBuilder#listener}.
 *
 * <p>Each listener gets its own thread and a bounded queue: a slow or throwing listener never slows
 * the engine or other listeners. Its exceptions are logged with the job id; if its queue overflows,
 * the oldest events are dropped and counted (see the log). Events arrive in order.
 *
 * {@snippet :
 * TaskFlow.builder().listener(new JobListener() {
 *   @Override public void onFailed(JobEvent e) { alerts.page("job " + e.jobId() + " failed"); }
 * });
 * }
 */
public interface JobListener {
  default void onEnqueued(JobEvent event) {}

  default void onScheduled(JobEvent event) {}

  default void onStarted(JobEvent event) {}

  default void onProgress(JobEvent event) {}

  default void onCompleted(JobEvent event) {}

  /** An attempt failed and a retry is scheduled. */
  default void onRetrying(JobEvent event) {}

  /** The job failed for good. */
  default void onFailed(JobEvent event) {}

  default void onCancelled(JobEvent event) {}

  default void onDeleted(JobEvent event) {}

  /** A {@code job.log} line. */
  default void onLog(JobEvent event) {}

  /** A custom event a handler emitted, e.g. {@code workflow.step_completed}. */
  default void onCustom(JobEvent event) {}

  /** Routes an event to its method; override only to see every event in one place. */
  default void onEvent(JobEvent event) {
    switch (event.type()) {
      case JobEvent.ENQUEUED -> onEnqueued(event);
      case JobEvent.SCHEDULED -> onScheduled(event);
      case JobEvent.STARTED -> onStarted(event);
      case JobEvent.PROGRESS -> onProgress(event);
      case JobEvent.COMPLETED -> onCompleted(event);
      case JobEvent.RETRYING -> onRetrying(event);
      case JobEvent.FAILED -> onFailed(event);
      case JobEvent.CANCELLED -> onCancelled(event);
      case JobEvent.DELETED -> onDeleted(event);
      case JobEvent.LOG -> onLog(event);
      default -> onCustom(event);
    }
  }
}
