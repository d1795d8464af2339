package dev.taskflow.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.spi.JobLease;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentAttemptsTest {
  @Test
  void it_remembers_the_newest_attempts_and_forgets_the_oldest_beyond_its_bound() {
    RecentAttempts recent = new RecentAttempts();
    JobLease first = new JobLease(UUID.randomUUID(), 1, "s");
    recent.add(first);
    JobLease last = null;
    for (int i = 0; i < RecentAttempts.MAX + 500; i++) {
      last = new JobLease(UUID.randomUUID(), 1, "s");
      recent.add(last);
    }
    assertThat(recent.contains(last)).isTrue();
    assertThat(recent.contains(first)).isFalse();
    assertThat(recent.contains(new JobLease(first.id(), 2, "s")))
        .as("another attempt of the same job")
        .isFalse();
  }

  @Test
  void an_attempt_added_again_stays_after_its_older_entry_is_evicted() {
    RecentAttempts recent = new RecentAttempts();
    JobLease lease = new JobLease(UUID.randomUUID(), 1, "s");
    recent.add(lease);
    for (int i = 0; i < RecentAttempts.MAX - 1; i++)
      recent.add(new JobLease(UUID.randomUUID(), 1, "s"));
    recent.add(lease); // re-added: the old entry is evicted next, the new one must survive it
    recent.add(new JobLease(UUID.randomUUID(), 1, "s"));
    assertThat(recent.contains(lease)).isTrue();
  }
}
