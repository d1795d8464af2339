package dev.taskflow;

import java.time.Duration;

/**
 * Runs jobs of one type. One abstract method; everything else has a default.
 *
 * <p>Return the result (any value Jackson can write, or null). Throw {@link JobSnooze} to run again
 * later without using an attempt, {@link JobCancel} to stop for good, anything else to fail this
 * attempt and retry per {@link #retryPolicy()}. Check {@link JobContext#isCancelled()} (or react to
 * interruption) in long loops: cancellation and timeouts interrupt the thread.
 *
 * {@snippet :
 * Worker<EmbedArgs> embed = (args, ctx) -> {
 *   ctx.progress(50, "embedding");
 *   return model.embed(args.text());
 * };
 * }
 *
 * @param <A> the args type
 */
@FunctionalInterface
public interface Worker<A> {
  Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  int DEFAULT_MAX_ATTEMPTS = 25;

  /** Runs one attempt of a job. */
  Object run(A args, JobContext ctx) throws Exception;

  /** The per-attempt timeout unless the job sets its own. */
  default Duration timeout() {
    return DEFAULT_TIMEOUT;
  }

  /** Attempts allowed unless the job sets its own. */
  default int maxAttempts() {
    return DEFAULT_MAX_ATTEMPTS;
  }

  /** How long to wait between attempts and which errors are not worth retrying. */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.DEFAULT;
  }

  /**
   * The priority a job gets when a failed attempt is scheduled for a retry; null (the default) uses
   * the server's {@link TaskFlowBuilder#retryPriority}, which keeps the job's priority unless set.
   */
  default RetryPriority retryPriority() {
    return null;
  }

  /**
   * The shared downstream resource this worker's jobs use (e.g. {@code "model-server"}), whose
   * adaptive concurrency limit bounds how many of them run at once on a server; null (the default)
   * for none. See {@link TaskFlowBuilder#resource}.
   */
  default String resource() {
    return null;
  }
}
