package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.JobArgs;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.JobType;
import dev.taskflow.ParentFailure;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of docs/dependencies.md, run on a manual clock. Each {@code docs::NAME[]}
 * region stands word for word in the page ({@link SnippetsTest} checks it).
 */
class DependenciesExampleTest {
  @JobType("video.transcode")
  record Transcode(String video) implements JobArgs {}

  @JobType("video.publish")
  record Publish(String video) implements JobArgs {}

  @JobType("report.send")
  record SendReport(String to) implements JobArgs {}

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T09:00:00Z"));
  private final List<String> log = new ArrayList<>();

  private TaskFlow taskflow() {
    return TaskFlow.builder()
        .storage(new InMemoryStorage(clock))
        .clock(clock)
        .worker(Transcode.class, (args, ctx) -> log.add("transcode " + args.video()))
        .worker(Publish.class, (args, ctx) -> log.add("publish " + args.video()))
        .worker(SendReport.class, (args, ctx) -> log.add("report to " + args.to()))
        .build();
  }

  @Test
  void a_continuation_runs_after_its_parent() {
    try (TaskFlow taskflow = taskflow()) {
      // docs::continuation[]
      UUID transcode =
          taskflow.enqueue(new Transcode("cat.mp4"), EnqueueOptions.defaults()).job().id();
      UUID publish =
          taskflow
              .enqueue(
                  new Publish("cat.mp4"),
                  EnqueueOptions.defaults()
                      .dependsOn(transcode)
                      .onParentFailure(ParentFailure.CANCEL)) // the default; or RUN, WAIT
              .job()
              .id();
      // publish waits in "awaiting" until transcode finishes
      // end-docs::continuation[]
      assertThat(taskflow.get(publish).orElseThrow().state()).isEqualTo(JobState.AWAITING);
      taskflow.runDueJobs();
      assertThat(log).containsExactly("transcode cat.mp4", "publish cat.mp4");
    }
  }

  @Test
  void a_batch_reports_its_progress_and_calls_back() {
    try (TaskFlow taskflow = taskflow()) {
      // docs::batch[]
      BatchResult batch =
          taskflow
              .batches()
              .enqueue(
                  BatchOptions.defaults()
                      .description("weekly videos")
                      .callback(new SendReport("ops@example.com"), EnqueueOptions.defaults()),
                  List.of(
                      JobRequest.of("video.transcode", "{\"video\":\"a.mp4\"}"),
                      JobRequest.of("video.transcode", "{\"video\":\"b.mp4\"}"),
                      // a member may depend on members listed before it
                      new JobRequest(
                          "video.publish",
                          "{\"video\":\"a.mp4\"}",
                          EnqueueOptions.defaults().dependsOn(Batches.member(0)))));
      BatchInfo info = taskflow.batches().get(batch.batchId()).orElseThrow();
      // info.state() is "open"; info.count(JobState.ENQUEUED) is 2, AWAITING 1
      // end-docs::batch[]
      assertThat(info.count(JobState.ENQUEUED)).isEqualTo(2);
      assertThat(info.count(JobState.AWAITING)).isEqualTo(1);
      taskflow.runDueJobs();
      assertThat(taskflow.batches().get(batch.batchId()).orElseThrow().state())
          .isEqualTo("completed");
      assertThat(log).endsWith("report to ops@example.com");
    }
  }
}
