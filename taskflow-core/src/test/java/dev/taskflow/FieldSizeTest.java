package dev.taskflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.internal.JobValidator;
import dev.taskflow.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One size rule per field a worker writes (the hardening issue, row 4): a result over 1 MiB of JSON
 * fails the job for good with a message saying why, custom event data over 64 KiB and a progress
 * message over 1,000 characters are refused where the worker reports them. Each is what the HTTP
 * API answers with 422 for remote workers.
 */
class FieldSizeTest {

  @Test
  void a_result_over_the_limit_fails_the_job_once_naming_the_rule_and_one_at_the_limit_completes()
      throws Exception {
    String tooBig = "x".repeat(JobValidator.MAX_RESULT_CHARS); // + quotes: 2 characters over
    String fits = "x".repeat(JobValidator.MAX_RESULT_CHARS - 2);
    try (TaskFlow tf =
        TaskFlow.builder()
            .storage(new InMemoryStorage(Clock.systemUTC()))
            .worker(
                "big.result",
                JsonNode.class,
                (a, ctx) -> a.path("fits").asBoolean() ? fits : tooBig)
            .pollInterval(Duration.ofMillis(50))
            .build()
            .start()) {
      Job over = tf.enqueue(JobRequest.of("big.result", "{\"fits\":false,\"n\":1}")).job();
      Job under = tf.enqueue(JobRequest.of("big.result", "{\"fits\":true}")).job();

      Job failed = tf.awaitFinished(over.id(), Duration.ofSeconds(30));
      Job done = tf.awaitFinished(under.id(), Duration.ofSeconds(30));

      assertThat(failed.state()).isEqualTo(JobState.FAILED);
      assertThat(failed.attempt()).as("not retried: the same result would fail again").isEqualTo(1);
      assertThat(failed.errors().getLast().message())
          .contains("a job of type 'big.result': its result must be at most 1048576 characters");
      assertThat(done.state()).isEqualTo(JobState.COMPLETED);
      assertThat(done.resultJson()).hasSize(JobValidator.MAX_RESULT_CHARS);
    }
  }

  @Test
  void event_data_and_progress_messages_over_their_limits_are_refused_where_the_worker_reports()
      throws Exception {
    try (TaskFlow tf =
        TaskFlow.builder()
            .storage(new InMemoryStorage(Clock.systemUTC()))
            .worker(
                "chatty",
                JsonNode.class,
                (a, ctx) -> {
                  String refusedEvent =
                      refused(() -> ctx.emit("x.big", Map.of("b", "y".repeat(70_000))));
                  String refusedProgress = refused(() -> ctx.progress(5, "z".repeat(1001)));
                  ctx.emit("x.ok", Map.of("b", "y".repeat(60_000)));
                  ctx.progress(6, "z".repeat(1000));
                  return List.of(refusedEvent, refusedProgress);
                })
            .pollInterval(Duration.ofMillis(50))
            .build()
            .start()) {
      Job job = tf.enqueue(JobRequest.of("chatty", "{}")).job();
      Job done = tf.awaitFinished(job.id(), Duration.ofSeconds(30));

      assertThat(done.state()).isEqualTo(JobState.COMPLETED);
      assertThat(done.resultJson())
          .contains("custom event data must be at most 65536 characters")
          .contains("a job of type 'chatty': its progress message must be at most 1000 characters");
      assertThat(tf.events(job.id(), null, 100))
          .extracting(JobEvent::type)
          .contains("x.ok")
          .doesNotContain("x.big");
    }
  }

  private static String refused(Runnable r) {
    try {
      r.run();
      return "accepted";
    } catch (InvalidJobException e) {
      return e.getMessage();
    }
  }
}
