package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualRunTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(new InMemoryStorage(clock))
          .clock(clock)
          .worker(TestJobs.Echo.class, (args, ctx) -> Map.of("echo", args.text()))
          .build();

  @AfterEach
  void close() {
    taskflow.close();
  }

  @Test
  void a_due_job_runs_on_the_calling_thread_and_stores_its_result() {
    Job job = taskflow.enqueue(new TestJobs.Echo("hi"));

    assertThat(taskflow.runDueJobs()).isEqualTo(1);

    Job done = taskflow.get(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.resultJson()).isEqualTo("{\"echo\":\"hi\"}");
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.history())
        .extracting(h -> h.state())
        .containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.COMPLETED);
  }
}
