package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.EventFilter;
import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.Subscription;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine with its own threads running; waits use Awaitility, never sleep. */
class BackgroundEngineTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final List<TaskFlow> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() {
    release.countDown();
    toClose.forEach(tf -> tf.stop(Duration.ofSeconds(5)));
  }

  /** A job that blocks until the test releases it, counting how many run at once. */
  private Object block(TestJobs.Block args) {
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      release.await();
      return "released";
    } catch (InterruptedException e) {
      interrupted.add(args.name());
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } finally {
      running.decrementAndGet();
    }
  }

  private TaskFlowBuilder builder(dev.taskflow.spi.Storage storage) {
    return TaskFlow.builder()
        .storage(storage)
        .pollInterval(Duration.ofMillis(50))
        .promoteInterval(Duration.ofMillis(50))
        .eventPollInterval(Duration.ofMillis(50))
        .worker(TestJobs.Echo.class, (a, ctx) -> a.text())
        .worker(TestJobs.Block.class, (a, ctx) -> block(a));
  }

  private TaskFlow started(TaskFlowBuilder b) {
    TaskFlow tf = b.build();
    toClose.add(tf);
    return tf.start();
  }

  private static JobState state(TaskFlow tf, Job job) {
    return tf.get(job.id()).orElseThrow().state();
  }

  @Test
  void an_enqueued_job_starts_and_completes_without_any_manual_step() {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    Job job = tf.enqueue(new TestJobs.Echo("hello")).job();
    await().atMost(5, TimeUnit.SECONDS).until(() -> state(tf, job) == JobState.COMPLETED);
    assertThat(tf.get(job.id()).orElseThrow().resultJson()).isEqualTo("\"hello\"");
  }

  @Test
  void await_finished_returns_the_job_as_it_ended_and_times_out_with_its_state() throws Exception {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    Job echo = tf.enqueue(new TestJobs.Echo("waited for")).job();
    assertThat(tf.awaitFinished(echo.id(), Duration.ofSeconds(10)).resultJson())
        .isEqualTo("\"waited for\"");
    assertThat(tf.awaitFinished(echo.id(), Duration.ofMillis(1)).state())
        .as("already finished")
        .isEqualTo(JobState.COMPLETED);

    Job blocked = tf.enqueue(new TestJobs.Block("never")).job();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> tf.awaitFinished(blocked.id(), Duration.ofMillis(200)))
        .isInstanceOf(java.util.concurrent.TimeoutException.class)
        .hasMessageContaining(blocked.id().toString());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> tf.awaitFinished(UUID.randomUUID(), Duration.ofMillis(1)))
        .isInstanceOf(dev.taskflow.JobNotFoundException.class);
  }

  @Test
  void a_queue_never_runs_more_jobs_than_its_concurrency() {
    TaskFlow tf = started(builder(new InMemoryStorage()).queue("default", q -> q.concurrency(3)));
    for (int i = 0; i < 10; i++) tf.enqueue(new TestJobs.Block("b" + i));

    await().until(() -> running.get() == 3);
    assertThat(tf.cluster().stateCounts().get(JobState.ENQUEUED)).isEqualTo(7);
    release.countDown();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> tf.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L) == 10);
    assertThat(maxRunning).hasValue(3);
  }

  @Test
  void a_type_cap_limits_that_type_below_the_queue_concurrency() {
    TaskFlow tf =
        started(
            builder(new InMemoryStorage())
                .queue("default", q -> q.concurrency(8))
                .typeConcurrency("test.block", 2));
    for (int i = 0; i < 6; i++) tf.enqueue(new TestJobs.Block("b" + i));
    Job echo = tf.enqueue(new TestJobs.Echo("not blocked by the cap")).job();

    await().until(() -> running.get() == 2 && state(tf, echo) == JobState.COMPLETED);
    release.countDown();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> tf.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L) == 7);
    assertThat(maxRunning).hasValue(2);
  }

  @Test
  void cancelling_a_running_job_interrupts_it_and_it_stays_cancelled() {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    Job job = tf.enqueue(new TestJobs.Block("victim")).job();
    await().until(() -> running.get() == 1);

    tf.cancel(job.id());

    await().until(() -> interrupted.contains("victim"));
    await().until(() -> tf.cluster().stateCounts().getOrDefault(JobState.PROCESSING, 0L) == 0);
    Job after = tf.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.CANCELLED);
    assertThat(after.errors()).isEmpty();
  }

  @Test
  void a_job_past_its_timeout_is_interrupted_and_counted_as_a_failed_attempt() {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    Job job =
        tf.enqueue(
                new TestJobs.Block("slow"),
                EnqueueOptions.defaults().timeout(Duration.ofMillis(200)).maxAttempts(1))
            .job();

    await().atMost(5, TimeUnit.SECONDS).until(() -> state(tf, job) == JobState.FAILED);
    Job failed = tf.get(job.id()).orElseThrow();
    assertThat(interrupted).contains("slow");
    assertThat(failed.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("timeout");
              assertThat(e.message()).contains(job.id().toString()).contains("PT0.2S");
            });
  }

  @Test
  void graceful_shutdown_releases_unfinished_jobs_without_using_their_attempt() {
    InMemoryStorage storage = new InMemoryStorage();
    TaskFlow tf = builder(new FlakyStorage(storage, false)).build().start();
    Job job = tf.enqueue(new TestJobs.Block("long")).job();
    await().until(() -> running.get() == 1);

    tf.stop(Duration.ofMillis(100));

    Job released = storage.jobGet(job.id()).orElseThrow();
    assertThat(released.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(released.attempt()).isZero();
    assertThat(released.leaseOwner()).isNull();
    assertThat(interrupted).contains("long");
  }

  @Test
  void a_worker_that_lost_its_lease_has_its_result_dropped() {
    ManualClock storeClock = ManualClock.startingNow();
    InMemoryStorage storage = new InMemoryStorage(storeClock);
    TaskFlow tf = started(builder(storage).leaseDuration(Duration.ofMillis(600)));
    Job job = tf.enqueue(new TestJobs.Block("stale")).job();
    await().until(() -> running.get() == 1);

    // The store's clock jumps past the lease: another server rescues the job, as if we had stalled.
    storeClock.advance(Duration.ofMinutes(1));
    assertThat(storage.jobRescueExpired(new JobRescueParams("other-server", 10))).isEqualTo(1);

    await().atMost(5, TimeUnit.SECONDS).until(() -> interrupted.contains("stale"));
    Job after = tf.get(job.id()).orElseThrow();
    assertThat(after.attempt()).isGreaterThanOrEqualTo(1);
    assertThat(after.errors()).extracting(e -> e.type()).contains("lease_expired");
    assertThat(after.history()).noneMatch(h -> h.state() == JobState.FAILED);
  }

  @Test
  void the_engine_backs_off_while_the_store_is_down_and_resumes_by_itself() {
    FlakyStorage flaky = new FlakyStorage(new InMemoryStorage());
    TaskFlow tf = started(builder(flaky));
    Job before = tf.enqueue(new TestJobs.Echo("before")).job();
    await().until(() -> state(tf, before) == JobState.COMPLETED);

    flaky.down = true;
    // while down, nothing can be enqueued: the caller gets a clear StorageException
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tf.enqueue(new TestJobs.Echo("lost?")))
        .isInstanceOf(dev.taskflow.StorageException.class);
    flaky.down = false;

    Job after = tf.enqueue(new TestJobs.Echo("after")).job();
    await().atMost(10, TimeUnit.SECONDS).until(() -> state(tf, after) == JobState.COMPLETED);
  }

  @Test
  void outcomes_finished_while_the_store_is_down_are_written_once_it_returns() {
    FlakyStorage flaky = new FlakyStorage(new InMemoryStorage());
    TaskFlow tf = started(builder(flaky));
    Job job = tf.enqueue(new TestJobs.Block("during-outage")).job();
    await().until(() -> running.get() == 1);

    flaky.down = true;
    release.countDown();
    await().until(() -> running.get() == 0);
    flaky.down = false;

    await().atMost(15, TimeUnit.SECONDS).until(() -> state(tf, job) == JobState.COMPLETED);
  }

  @Test
  void progress_events_reach_subscribers_at_once_and_the_store_keeps_the_last_value() {
    CountDownLatch step = new CountDownLatch(1);
    TaskFlow tf =
        started(
            builder(new InMemoryStorage())
                .progressWriteInterval(Duration.ofHours(1))
                .worker(
                    "test.progress",
                    Map.class,
                    (a, ctx) -> {
                      ctx.progress(10, "first");
                      ctx.progress(20, "second");
                      step.await();
                      return null;
                    }));
    List<JobEvent> seen = new CopyOnWriteArrayList<>();
    EventFilter ofType = new EventFilter(null, Set.of(), "test.progress", null, null);
    try (Subscription s = tf.subscribe(ofType, null, seen::add)) {
      Job job = tf.enqueue(new JobRequest("test.progress", "{}", null)).job();
      await()
          .until(() -> seen.stream().filter(e -> e.type().equals(JobEvent.PROGRESS)).count() == 2);
      step.countDown();
      await().until(() -> state(tf, job) == JobState.COMPLETED);
      // written once at the end (the interval is an hour), with the last value
      assertThat(tf.get(job.id()).orElseThrow().progress().message()).isEqualTo("second");
      assertThat(seen.stream().filter(e -> e.type().equals(JobEvent.PROGRESS)).count())
          .isEqualTo(2);
    }
  }

  @Test
  void a_subscriber_resuming_from_an_event_id_misses_nothing_and_sees_nothing_twice() {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    List<JobEvent> first = Collections.synchronizedList(new ArrayList<>());
    Subscription s1 = tf.subscribe(EventFilter.ALL, null, first::add);
    for (int i = 0; i < 20; i++) tf.enqueue(new TestJobs.Echo("e" + i));
    await().until(() -> first.size() >= 10);
    s1.close();
    String resumeFrom = first.get(first.size() - 1).id();
    List<String> firstIds = first.stream().map(JobEvent::id).toList();

    List<JobEvent> second = Collections.synchronizedList(new ArrayList<>());
    tf.subscribe(EventFilter.ALL, resumeFrom, second::add);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> tf.cluster().stateCounts().getOrDefault(JobState.COMPLETED, 0L) == 20);
    tf.enqueue(new TestJobs.Echo("marker"));
    await()
        .until(
            () ->
                second.stream()
                    .anyMatch(
                        e ->
                            e.type().equals(JobEvent.ENQUEUED)
                                && e.dataJson() != null
                                && e.seq() > 0
                                && second.getLast().type() != null
                                && tf.events(null, null, 10_000).getLast().seq()
                                    <= second.getLast().seq()));

    List<Long> all = new ArrayList<>();
    firstIds.forEach(id -> all.add(JobEvent.parseSeq(id)));
    second.forEach(e -> all.add(e.seq()));
    List<Long> expected = tf.events(null, null, 10_000).stream().map(JobEvent::seq).toList();
    assertThat(all).containsExactlyElementsOf(expected);
  }

  @Test
  void a_listener_that_throws_does_not_stop_delivery_to_others() {
    TaskFlow tf = started(builder(new InMemoryStorage()));
    tf.subscribe(
        EventFilter.ALL,
        null,
        e -> {
          throw new IllegalStateException("bad listener");
        });
    List<UUID> completed = new CopyOnWriteArrayList<>();
    tf.subscribe(
        new EventFilter(null, Set.of(JobEvent.COMPLETED), null, null, null),
        null,
        e -> completed.add(e.jobId()));
    Job job = tf.enqueue(new TestJobs.Echo("x")).job();
    await().until(() -> completed.contains(job.id()));
  }
}
