package dev.taskflow.server.demo;

import dev.taskflow.JobArgs;
import dev.taskflow.JobContext;
import dev.taskflow.JobProgress;
import dev.taskflow.JobType;
import dev.taskflow.RetryPolicy;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The demo job types of {@code ./taskflow server --demo}. Other issues and users' tests rely on
 * these exact names and behaviours, so change them only additively.
 *
 * <ul>
 *   <li>{@code demo.echo}: the result is the args.
 *   <li>{@code demo.sleep} {@code {"ms": N, "steps": K}}: sleeps N ms in K steps, reporting
 *       progress after each.
 *   <li>{@code demo.fail} {@code {"failTimes": N, "message": M}}: throws on the first N attempts,
 *       then succeeds; without {@code failTimes} it always throws.
 *   <li>{@code demo.embed} {@code {"text": T}}: a deterministic 64-dimension embedding of T.
 *   <li>{@code demo.workflow} {@code {"steps": N, "stepMs": M}}: N steps, each with progress and a
 *       {@code workflow.step_completed} event.
 * </ul>
 *
 * <p>Bad args (a negative duration, zero steps, missing text) fail the job at once, without
 * retries.
 *
 * {@snippet :
 * TaskFlow taskflow = DemoJobs.register(TaskFlow.builder().storage(storage)).build();
 * }
 */
public final class DemoJobs {
  public static final String ECHO = "demo.echo";
  public static final String SLEEP = "demo.sleep";
  public static final String FAIL = "demo.fail";
  public static final String EMBED = "demo.embed";
  public static final String WORKFLOW = "demo.workflow";

  /** Every demo type, in the order they are registered. */
  public static final List<String> TYPES = List.of(ECHO, SLEEP, FAIL, EMBED, WORKFLOW);

  /** The custom event {@code demo.workflow} emits after each step. */
  public static final String STEP_COMPLETED = "workflow.step_completed";

  /** Quick retries so a demo shows them within seconds; bad args are never retried. */
  static final RetryPolicy RETRY_POLICY =
      RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1))
          .withNonRetryable(IllegalArgumentException.class);

  private static final long MAX_MS = Duration.ofDays(1).toMillis();

  private DemoJobs() {}

  /** Registers the five demo types on a builder and returns it. */
  public static TaskFlowBuilder register(TaskFlowBuilder builder) {
    return builder
        .worker(ECHO, JsonNode.class, demo((args, ctx) -> args))
        .worker(Sleep.class, demo(DemoJobs::sleep))
        .worker(Fail.class, demo(DemoJobs::fail))
        .worker(Embed.class, demo((args, ctx) -> Embeddings.embed(args.text())))
        .worker(Workflow.class, demo(DemoJobs::workflow));
  }

  // ------------------------------------------------------------------ args

  /**
   * {@code demo.sleep}: sleeps {@code ms} (default 1000) in {@code steps} equal parts (default 1).
   */
  @JobType(SLEEP)
  public record Sleep(Long ms, Integer steps) implements JobArgs {
    public Sleep {
      ms = ms == null ? 1000L : ms;
      steps = steps == null ? 1 : steps;
      requireRange(SLEEP, "ms", ms, 0, MAX_MS);
      requireRange(SLEEP, "steps", steps, 1, 10_000);
    }
  }

  /**
   * {@code demo.fail}: throws {@link DemoFailure} with {@code message} on the first {@code
   * failTimes} attempts, then succeeds; with no {@code failTimes} it throws on every attempt.
   */
  @JobType(FAIL)
  public record Fail(Integer failTimes, String message) implements JobArgs {
    public Fail {
      if (failTimes != null) requireRange(FAIL, "failTimes", failTimes, 0, 1000);
    }
  }

  /** {@code demo.embed}: the text to embed (required). */
  @JobType(EMBED)
  public record Embed(String text) implements JobArgs {
    public Embed {
      if (text == null) {
        throw new IllegalArgumentException(EMBED + ": args.text is required, was null");
      }
    }
  }

  /** {@code demo.workflow}: {@code steps} (default 3) of {@code stepMs} each (default 500). */
  @JobType(WORKFLOW)
  public record Workflow(Integer steps, Long stepMs) implements JobArgs {
    public Workflow {
      steps = steps == null ? 3 : steps;
      stepMs = stepMs == null ? 500L : stepMs;
      requireRange(WORKFLOW, "steps", steps, 1, 1000);
      requireRange(WORKFLOW, "stepMs", stepMs, 0, MAX_MS);
    }
  }

  /** What {@code demo.fail} throws on purpose. */
  public static final class DemoFailure extends RuntimeException {
    public DemoFailure(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------ handlers

  private static Object sleep(Sleep args, JobContext ctx) throws InterruptedException {
    int steps = args.steps();
    for (int i = 1; i <= steps; i++) {
      // Spread the total over the steps so that they add up to exactly ms.
      pause(args.ms() * i / steps - args.ms() * (i - 1) / steps, ctx);
      ctx.progress(new JobProgress(i * 100 / steps, "step " + i + "/" + steps, i, steps));
    }
    return fields("sleptMs", args.ms(), "steps", steps);
  }

  private static Object fail(Fail args, JobContext ctx) {
    int attempt = ctx.attempt();
    if (args.failTimes() == null || attempt <= args.failTimes()) {
      throw new DemoFailure(
          args.message() != null
              ? args.message()
              : FAIL + " failed on purpose on attempt " + attempt + " of job " + ctx.jobId());
    }
    return fields("attempt", attempt, "failedAttempts", args.failTimes());
  }

  private static Object workflow(Workflow args, JobContext ctx) throws InterruptedException {
    int steps = args.steps();
    for (int i = 1; i <= steps; i++) {
      pause(args.stepMs(), ctx);
      ctx.progress(new JobProgress(i * 100 / steps, "step " + i + "/" + steps, i, steps));
      ctx.emit(STEP_COMPLETED, fields("step", i, "steps", steps));
    }
    return fields("steps", steps);
  }

  /** Sleeps, unless the job was stopped (cancelled, timed out, lease lost): then it ends. */
  private static void pause(long ms, JobContext ctx) throws InterruptedException {
    if (ctx.isCancelled()) {
      throw new InterruptedException(
          "job " + ctx.jobId() + " (" + ctx.job().type() + ") was stopped");
    }
    if (ms > 0) Thread.sleep(ms);
  }

  private static void requireRange(String type, String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          type + ": args." + field + " must be " + min + ".." + max + ", was " + value);
    }
  }

  /** A JSON object with its keys in the given order. */
  private static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Wraps a handler with the demo retry policy. */
  private static <A> Worker<A> demo(Worker<A> handler) {
    return new Worker<>() {
      @Override
      public Object run(A args, JobContext ctx) throws Exception {
        return handler.run(args, ctx);
      }

      @Override
      public RetryPolicy retryPolicy() {
        return RETRY_POLICY;
      }
    };
  }
}
