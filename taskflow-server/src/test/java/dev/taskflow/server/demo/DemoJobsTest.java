package dev.taskflow.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoJobsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final TaskFlow taskflow =
      DemoJobs.register(TaskFlow.builder().storage(new InMemoryStorage(clock)).clock(clock))
          .build();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    taskflow.close();
  }

  @Test
  void register_adds_exactly_the_five_demo_types() {
    assertThat(taskflow.cluster().jobTypes())
        .containsExactlyInAnyOrder(
            "demo.echo", "demo.sleep", "demo.fail", "demo.embed", "demo.workflow");
  }

  @Test
  void demo_echo_completes_with_its_args_as_the_result() {
    Job done = runOnce("demo.echo", "{\"hello\":\"world\",\"n\":[1,2,{\"deep\":true}]}");

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(tree(done.resultJson()))
        .isEqualTo(tree("{\"hello\":\"world\",\"n\":[1,2,{\"deep\":true}]}"));
  }

  @Test
  void demo_sleep_reports_progress_after_each_step_and_completes() {
    Job done = runOnce("demo.sleep", "{\"ms\": 30, \"steps\": 3}");

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(progressEvents(done))
        .extracting(
            d ->
                d.get("percent").asInt()
                    + " "
                    + d.get("message").asString()
                    + " "
                    + d.get("step").asInt()
                    + "/"
                    + d.get("steps").asInt())
        .containsExactly("33 step 1/3 1/3", "66 step 2/3 2/3", "100 step 3/3 3/3");
    assertThat(done.progress().percent()).isEqualTo(100);
    assertThat(tree(done.resultJson())).isEqualTo(tree("{\"sleptMs\":30,\"steps\":3}"));
  }

  @Test
  void demo_sleep_takes_one_step_when_steps_is_not_given() {
    Job done = runOnce("demo.sleep", "{\"ms\": 0}");

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.progress().message()).isEqualTo("step 1/1");
    assertThat(done.progress().steps()).isEqualTo(1);
  }

  @Test
  void demo_sleep_with_a_negative_duration_fails_at_once_without_retries() {
    Job done = runOnce("demo.sleep", "{\"ms\": -5}");

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.errors())
        .singleElement()
        .satisfies(
            e -> assertThat(e.message()).contains("demo.sleep: args.ms must be 0..", "was -5"));
  }

  @Test
  void demo_sleep_with_zero_steps_fails_at_once_without_retries() {
    Job done = runOnce("demo.sleep", "{\"ms\": 10, \"steps\": 0}");

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("args.steps", "was 0"));
  }

  @Test
  void a_running_demo_sleep_stops_soon_after_it_is_cancelled() {
    TaskFlow live =
        DemoJobs.register(TaskFlow.builder().storage(new InMemoryStorage()))
            .shutdownGrace(Duration.ofMinutes(1))
            .build()
            .start();
    Job job = live.enqueue(JobRequest.of("demo.sleep", "{\"ms\": 600000, \"steps\": 600}")).job();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> live.get(job.id()).orElseThrow().state() == JobState.PROCESSING);

    assertThat(live.cancel(job.id()).state()).isEqualTo(JobState.CANCELLED);

    // close() waits up to the one-minute grace for running jobs, so it returns within seconds
    // only if the sleeping handler ended when it was cancelled.
    CompletableFuture<Void> closed = CompletableFuture.runAsync(live::close);
    await().atMost(Duration.ofSeconds(10)).until(closed::isDone);
    assertThat(closed).isCompletedWithValue(null);
  }

  @Test
  void demo_fail_throws_on_the_first_fail_times_attempts_then_succeeds() {
    Job job = enqueue("demo.fail", "{\"failTimes\": 2, \"message\": \"model overloaded\"}");

    for (int attempt = 1; attempt <= 2; attempt++) {
      taskflow.runDueJobs();
      Job failed = taskflow.get(job.id()).orElseThrow();
      assertThat(failed.state()).isEqualTo(JobState.SCHEDULED);
      assertThat(failed.errors()).hasSize(attempt);
      assertThat(failed.errors().getLast().message()).isEqualTo("model overloaded");
      assertThat(failed.errors().getLast().type()).isEqualTo(DemoJobs.DemoFailure.class.getName());
      clock.advance(Duration.ofMinutes(2)); // past the retry backoff (at most a minute)
    }
    taskflow.runDueJobs();

    Job done = taskflow.get(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(3);
    assertThat(tree(done.resultJson())).isEqualTo(tree("{\"attempt\":3,\"failedAttempts\":2}"));
  }

  @Test
  void demo_fail_without_fail_times_fails_every_attempt_until_none_is_left() {
    Job job =
        taskflow
            .enqueue(new JobRequest("demo.fail", "{}", EnqueueOptions.defaults().maxAttempts(3)))
            .job();

    for (int i = 0; i < 3; i++) {
      taskflow.runDueJobs();
      clock.advance(Duration.ofMinutes(2));
    }

    Job failed = taskflow.get(job.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.errors())
        .hasSize(3)
        .allSatisfy(
            e -> assertThat(e.message()).contains("failed on purpose", job.id().toString()));
  }

  @Test
  void demo_fail_with_a_negative_fail_times_fails_at_once_without_retries() {
    Job done = runOnce("demo.fail", "{\"failTimes\": -1}");

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.errors().getFirst().message()).contains("args.failTimes", "was -1");
  }

  @Test
  void demo_embed_returns_the_same_unit_vector_of_64_dimensions_for_the_same_text() {
    JsonNode first =
        tree(runOnce("demo.embed", "{\"text\": \"Durable jobs for the JVM\"}").resultJson());
    JsonNode second =
        tree(runOnce("demo.embed", "{\"text\": \"Durable jobs for the JVM\"}").resultJson());

    assertThat(first).isEqualTo(second);
    assertThat(first.get("dimensions").asInt()).isEqualTo(64);
    assertThat(first.get("embedding").size()).isEqualTo(64);
    double norm = 0;
    for (JsonNode x : first.get("embedding")) norm += x.asDouble() * x.asDouble();
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void demo_embed_puts_similar_texts_closer_together_than_unrelated_ones() {
    double[] fox = Embeddings.vector("the quick brown fox jumps");
    double[] foxes = Embeddings.vector("the quick brown foxes jumped");
    double[] other = Embeddings.vector("quarterly revenue report, 2026");

    assertThat(cosine(fox, foxes)).isGreaterThan(cosine(fox, other) + 0.3);
  }

  @Test
  void demo_embed_gives_a_unit_vector_even_for_empty_text() {
    double[] v = Embeddings.vector("");

    assertThat(cosine(v, v)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void demo_embed_without_text_fails_at_once_without_retries() {
    Job done = runOnce("demo.embed", "{}");

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.errors().getFirst().message()).contains("demo.embed: args.text is required");
  }

  @Test
  void demo_workflow_reports_progress_and_emits_a_step_completed_event_per_step() {
    Job done = runOnce("demo.workflow", "{\"steps\": 4, \"stepMs\": 0}");

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(taskflow.events(done.id(), null, 1000))
        .filteredOn(e -> e.type().equals("workflow.step_completed"))
        .extracting(e -> tree(e.dataJson()))
        .containsExactly(
            tree("{\"step\":1,\"steps\":4}"),
            tree("{\"step\":2,\"steps\":4}"),
            tree("{\"step\":3,\"steps\":4}"),
            tree("{\"step\":4,\"steps\":4}"));
    assertThat(progressEvents(done))
        .extracting(d -> d.get("percent").asInt())
        .containsExactly(25, 50, 75, 100);
    assertThat(tree(done.resultJson())).isEqualTo(tree("{\"steps\":4}"));
  }

  @Test
  void demo_workflow_with_zero_steps_fails_at_once_without_retries() {
    Job done = runOnce("demo.workflow", "{\"steps\": 0}");

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.errors().getFirst().message()).contains("args.steps", "was 0");
  }

  // ------------------------------------------------------------------ helpers

  private Job enqueue(String type, String argsJson) {
    Job job = taskflow.enqueue(JobRequest.of(type, argsJson)).job();
    taskflow.subscribe(EventFilter.forJob(job.id()), null, events::add);
    return job;
  }

  /** Enqueues, runs every due job on this thread, and returns the job as stored. */
  private Job runOnce(String type, String argsJson) {
    Job job = enqueue(type, argsJson);
    taskflow.runDueJobs();
    return taskflow.get(job.id()).orElseThrow();
  }

  private List<JsonNode> progressEvents(Job job) {
    return events.stream()
        .filter(e -> e.jobId().equals(job.id()) && e.type().equals(JobEvent.PROGRESS))
        .map(e -> tree(e.dataJson()))
        .toList();
  }

  private static JsonNode tree(String json) {
    return JSON.readTree(json);
  }

  private static double cosine(double[] a, double[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
