package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.Job;
import dev.taskflow.JobArgs;
import dev.taskflow.JobState;
import dev.taskflow.JobType;
import dev.taskflow.QueueFullException;
import dev.taskflow.ResourceInfo;
import dev.taskflow.RetryPriority;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of docs/flow-control.md, run on a manual clock. Each {@code docs::NAME[]}
 * region stands word for word in the page ({@link SnippetsTest} checks it).
 */
class FlowControlExampleTest {
  @JobType("embedding.generate")
  record Embed(String text) implements JobArgs {}

  @JobType("report.build")
  record BuildReport(String day) implements JobArgs {}

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T09:00:00Z"));

  /** A builder on the manual clock, as every example here starts. */
  private TaskFlowBuilder onClock() {
    return TaskFlow.builder().storage(new InMemoryStorage(clock)).clock(clock);
  }

  /** TaskFlow on the manual clock with a worker of {@link Embed}. */
  private TaskFlow embeddings() {
    return onClock().worker(Embed.class, (args, ctx) -> args.text().length()).build();
  }

  @Test
  void a_bounded_queue_refuses_enqueues_past_its_depth() {
    try (TaskFlow taskflow = embeddings()) {
      // docs::backpressure[]
      taskflow.queues().setMaxDepth("default", 2); // shared by every server of the store
      taskflow.enqueue(new Embed("a"));
      taskflow.enqueue(new Embed("b"));
      try {
        taskflow.enqueue(new Embed("c"));
      } catch (QueueFullException e) {
        // e.queue() "default", e.depth() 2, e.maxDepth() 2, e.retryAfter() PT5S: shed or retry
        assertThat(e.depth()).isEqualTo(2);
      }
      taskflow.queues().setMaxDepth("default", null); // no bound
      // end-docs::backpressure[]
      assertThat(taskflow.cluster().stateCounts().get(JobState.ENQUEUED)).isEqualTo(2);
    }
  }

  @Test
  void retries_run_after_fresh_work_and_an_enqueued_job_shows_its_position() {
    // docs::retry-priority[]
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .retryPriority(RetryPriority.lowerBy(10)) // each retry 10 lower, down to -100
            .worker(
                Embed.class,
                (args, ctx) -> {
                  if (args.text().isEmpty()) throw new IllegalStateException("model refused");
                  return args.text().length();
                })
            .build()) {
      Job flaky = taskflow.enqueue(new Embed("")).job();
      taskflow.runDueJobs(); // fails once: scheduled for a retry at priority -10
      clock.advance(Duration.ofHours(1)); // the retry is due
      Job fresh = taskflow.enqueue(new Embed("fresh")).job();

      assertThat(taskflow.get(flaky.id()).orElseThrow().priority()).isEqualTo(-10);
      assertThat(taskflow.queues().position(fresh.id())).hasValue(0); // fresh work goes first
    }
    // end-docs::retry-priority[]
  }

  @Test
  void the_adaptive_limit_of_a_resource_is_visible() {
    // docs::adaptive[]
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .queue("default", q -> q.concurrency(32))
            // at most 1..32 embedding jobs at once on this server, starting at 8
            .resource("model-server", r -> r.min(1).max(32).initial(8))
            .typeResource("embedding.generate", "model-server")
            .worker(Embed.class, (args, ctx) -> args.text().length())
            .build()) {
      ResourceInfo model = taskflow.queues().resources().getFirst();
      assertThat(model.limit()).isEqualTo(8); // moves with latency and errors once jobs run
      assertThat(model.types()).containsExactly("embedding.generate");
    }
    // end-docs::adaptive[]
  }

  @Test
  void a_key_held_for_a_day_keeps_a_report_from_being_built_twice() {
    try (TaskFlow taskflow =
        onClock().worker(BuildReport.class, (args, ctx) -> "built " + args.day()).build()) {
      // docs::unique-for[]
      EnqueueOptions once =
          EnqueueOptions.defaults().uniqueKey("report:2026-03-01").uniqueFor(Duration.ofDays(1));
      EnqueueResult first = taskflow.enqueue(new BuildReport("2026-03-01"), once);
      taskflow.runDueJobs(); // completed

      EnqueueResult again = taskflow.enqueue(new BuildReport("2026-03-01"), once);
      assertThat(again.duplicate()).isTrue(); // the completed job still holds the key
      assertThat(again.job().id()).isEqualTo(first.job().id());
      // end-docs::unique-for[]
    }
  }

  @Test
  void a_job_not_started_by_its_deadline_is_cancelled_as_expired() {
    try (TaskFlow taskflow = embeddings()) {
      // docs::start-by[]
      taskflow.queues().pause("default"); // say the workers are busy elsewhere
      Job job =
          taskflow
              .enqueue(
                  new Embed("stale soon"),
                  EnqueueOptions.defaults().startWithin(Duration.ofMinutes(5)))
              .job();
      clock.advance(Duration.ofMinutes(5));
      taskflow.queues().resume("default");
      taskflow.runDueJobs(); // the sweep cancels it; no claim starts it late

      Job after = taskflow.get(job.id()).orElseThrow();
      assertThat(after.state()).isEqualTo(JobState.CANCELLED);
      assertThat(after.history().getLast().reason()).isEqualTo("expired");
      // end-docs::start-by[]
    }
  }

  @Test
  void an_enqueue_into_a_full_queue_throws() {
    try (TaskFlow taskflow = embeddings()) {
      taskflow.queues().setMaxDepth("default", 0);
      assertThatThrownBy(() -> taskflow.enqueue(new Embed("x")))
          .isInstanceOf(QueueFullException.class);
    }
  }
}
