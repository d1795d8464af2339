package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.JobEvent;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ThroughputTrackerTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final ThroughputTracker tracker = new ThroughputTracker(Duration.ofSeconds(3), clock);

  private static JobEvent event(String type) {
    return new JobEvent("1", type, Instant.EPOCH, UUID.randomUUID(), "t", "default", null, "{}");
  }

  @Test
  void completed_and_failed_jobs_are_counted_per_second_over_the_window() {
    tracker.record(event(JobEvent.COMPLETED));
    tracker.record(event(JobEvent.COMPLETED));
    tracker.record(event(JobEvent.STARTED));
    clock.advance(Duration.ofSeconds(1));
    tracker.record(event(JobEvent.FAILED));

    List<ThroughputTracker.Point> points = tracker.snapshot();

    assertThat(points)
        .containsExactly(
            new ThroughputTracker.Point(Instant.parse("2025-12-31T23:59:59Z"), 0, 0),
            new ThroughputTracker.Point(Instant.parse("2026-01-01T00:00:00Z"), 2, 0),
            new ThroughputTracker.Point(Instant.parse("2026-01-01T00:00:01Z"), 0, 1));
  }

  @Test
  void seconds_older_than_the_window_are_forgotten_when_their_slot_comes_round() {
    tracker.record(event(JobEvent.COMPLETED));
    clock.advance(Duration.ofSeconds(3));
    tracker.record(event(JobEvent.FAILED));

    List<ThroughputTracker.Point> points = tracker.snapshot();

    assertThat(points).extracting(ThroughputTracker.Point::completed).containsExactly(0L, 0L, 0L);
    assertThat(points.getLast().failed()).isEqualTo(1);
  }
}
