package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.Job;
import dev.taskflow.JobArgs;
import dev.taskflow.JobState;
import dev.taskflow.JobType;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a user tests their own jobs: a manual clock, the in-memory store, no sleeps. The README
 * copies it.
 */
class TestingYourJobsExampleTest {

  @JobType("report.send")
  record SendReport(String to) implements JobArgs {}

  // tag::testing[]
  @Test
  void a_report_scheduled_for_tomorrow_is_sent_once_tomorrow_comes() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T09:00:00Z"));
    List<String> sent = new ArrayList<>();
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock)) // the store's clock is the one the test moves
            .clock(clock)
            .worker(SendReport.class, (args, ctx) -> sent.add(args.to()))
            .build()) {
      Job job =
          taskflow
              .enqueue(
                  new SendReport("ops@example.com"),
                  EnqueueOptions.defaults().delay(Duration.ofDays(1)))
              .job();

      assertThat(taskflow.runDueJobs()).isZero(); // not due yet: nothing runs

      clock.advance(Duration.ofDays(1));
      assertThat(taskflow.runDueJobs()).isEqualTo(1); // runs on this thread, outcome written

      assertThat(sent).containsExactly("ops@example.com");
      assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }
  }
  // end::testing[]
}
