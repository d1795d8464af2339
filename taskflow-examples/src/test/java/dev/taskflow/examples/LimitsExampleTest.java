package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.FlowLimit;
import dev.taskflow.JobArgs;
import dev.taskflow.JobType;
import dev.taskflow.LimitUsage;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of docs/limits.md, run on a manual clock. Each {@code docs::NAME[]} region
 * stands word for word in the page ({@link SnippetsTest} checks it).
 */
class LimitsExampleTest {
  @JobType("email.send")
  record SendEmail(String to) implements JobArgs {}

  @Test
  void a_rate_limit_per_owner_lets_each_user_send_two_emails_a_minute() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T09:00:00Z"));
    List<String> sent = new ArrayList<>();
    // docs::limits[]
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage(clock))
            .clock(clock)
            .worker(SendEmail.class, (args, ctx) -> sent.add(args.to()))
            // stored at start for every server of the store; put again to change it
            .limit(
                FlowLimit.builder("email-per-user")
                    .type("email.send")
                    .scope(FlowLimit.Scope.OWNER) // a budget per job owner
                    .rate(2, Duration.ofMinutes(1)) // at most 2 starts a minute each
                    .build())
            .build()) {
      for (int i = 0; i < 3; i++) {
        taskflow.enqueue(new SendEmail("alice+" + i), EnqueueOptions.defaults().owner("alice"));
      }
      taskflow.enqueue(new SendEmail("bob"), EnqueueOptions.defaults().owner("bob"));

      assertThat(taskflow.runDueJobs()).isEqualTo(3); // alice twice, bob once
      LimitUsage usage = taskflow.limits().usage("email-per-user").orElseThrow();
      assertThat(usage.recentStarts()).containsEntry("alice", 2L).containsEntry("bob", 1L);

      clock.advance(Duration.ofMinutes(1)); // alice's window has room again
      assertThat(taskflow.runDueJobs()).isEqualTo(1);
    }
    // end-docs::limits[]
    assertThat(sent).containsExactlyInAnyOrder("alice+0", "alice+1", "alice+2", "bob");
  }

  @Test
  void a_key_limit_of_one_runs_one_job_per_key_at_a_time() {
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(new InMemoryStorage())
            .worker(SendEmail.class, (args, ctx) -> null)
            .build()) {
      // docs::mutex[]
      taskflow
          .limits()
          .put(
              FlowLimit.builder("one-sync-per-account")
                  .type("email.send")
                  .scope(FlowLimit.Scope.KEY) // per concurrency key; jobs without one are free
                  .maxRunning(1) // a mutex
                  .build());
      taskflow.enqueue(
          new SendEmail("a@example.com"), EnqueueOptions.defaults().concurrencyKey("account-42"));
      // end-docs::mutex[]
      assertThat(taskflow.limits().list().items())
          .extracting(FlowLimit::name)
          .containsExactly("one-sync-per-account");
      assertThat(taskflow.runDueJobs()).isEqualTo(1);
      assertThat(taskflow.limits().delete("one-sync-per-account")).isTrue();
    }
  }
}
