package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What survives a close and reopen of a store on the same data. Skipped for stores that keep
 * nothing (see {@link StorageTck#reopen}).
 */
public interface DurabilityContract extends TckSupport {

  /** Closes the store under test and replaces it with one reopened on the same data. */
  void reopenStore();

  @Test
  default void jobs_events_counters_and_pauses_survive_a_reopen() {
    Job done = running(job().uniqueKey("u-done").owner("o").tags("t"));
    finish(new JobFinish.Completed(lease(done), "{\"r\":1}"));
    Job running = running(job().uniqueKey("u-running"));
    Job later = insert(job().delay(Duration.ofMinutes(5)).queue("slow"));
    store().queuePause("slow");
    List<Job> before = allJobs();
    Map<JobState, Long> countsBefore = counts();
    List<JobEvent> eventsBefore = store().eventsSince(new EventsSinceParams(0, null, 1000));
    long seqBefore = store().eventLatestSeq();

    reopenStore();

    assertThat(allJobs()).containsExactlyElementsOf(before);
    assertThat(counts()).isEqualTo(countsBefore);
    assertThat(store().eventsSince(new EventsSinceParams(0, null, 1000)))
        .containsExactlyElementsOf(eventsBefore);
    assertThat(store().eventLatestSeq()).isEqualTo(seqBefore);
    assertThat(store().queueStats())
        .filteredOn(q -> q.queue().equals("slow"))
        .singleElement()
        .extracting(QueueStats::paused)
        .isEqualTo(true);
    // the running job's lease still fences, its key is still held, and sequences go on
    assertThat(finish(new JobFinish.Completed(lease(running), "{}"))).containsExactly(running.id());
    assertThat(insertMany(job().uniqueKey("u-done")).get(0).duplicate()).isFalse();
    assertThat(lastEvent(running.id()).seq()).isGreaterThan(seqBefore);
    clock().advance(Duration.ofMinutes(5));
    assertThat(promote()).isEqualTo(1);
    assertThat(get(later.id()).state()).isEqualTo(JobState.ENQUEUED);
  }
}
