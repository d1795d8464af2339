package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskflow.BatchOptions;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.FlowLimit;
import dev.taskflow.Job;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.PluginContext;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.TaskFlowPlugin;
import dev.taskflow.memory.CoreOnlyStorage;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.StorageFeature;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * TaskFlow on a store that keeps only the core of the SPI ({@link CoreOnlyStorage}): jobs run as on
 * any store, the background work of the missing features does not run, and every call that needs a
 * missing feature throws {@link FeatureUnsupportedException} naming it, writing nothing.
 */
class CoreOnlyStoreTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<TaskFlow> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() {
    toClose.forEach(TaskFlow::close);
  }

  private TaskFlowBuilder builder() {
    return TaskFlow.builder()
        .storage(new CoreOnlyStorage(new InMemoryStorage(clock)))
        .clock(clock)
        .worker(TestJobs.Echo.class, (args, ctx) -> Map.of("echo", args.text()));
  }

  private TaskFlow build() {
    TaskFlow tf = builder().build();
    toClose.add(tf);
    return tf;
  }

  private static void assertMissing(StorageFeature feature, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FeatureUnsupportedException.class,
            e -> {
              assertThat(e.feature()).isEqualTo(feature.wireName());
              assertThat(e.store()).isEqualTo(CoreOnlyStorage.NAME);
            })
        .hasMessage("the core-only store does not keep " + feature.description());
  }

  @Test
  void the_store_declares_no_feature_and_the_in_memory_store_every_one() {
    assertThat(StorageFeature.of(new CoreOnlyStorage(new InMemoryStorage(clock)))).isEmpty();
    assertThat(StorageFeature.of(new InMemoryStorage(clock)))
        .isEqualTo(EnumSet.allOf(StorageFeature.class));
  }

  @Test
  void a_started_server_runs_jobs() {
    TaskFlow tf =
        TaskFlow.builder()
            .storage(new CoreOnlyStorage(new InMemoryStorage()))
            .worker(TestJobs.Echo.class, (args, ctx) -> Map.of("echo", args.text()))
            .pollInterval(Duration.ofMillis(20))
            .shutdownGrace(Duration.ofMillis(200))
            .build();
    toClose.add(tf);
    tf.start();

    UUID id = tf.enqueue(new TestJobs.Echo("hi")).id();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tf.get(id).map(Job::state).orElseThrow() == JobState.COMPLETED);
    assertThat(tf.get(id).orElseThrow().resultJson()).isEqualTo("{\"echo\":\"hi\"}");
  }

  @Test
  void due_jobs_run_on_a_manual_clock_with_retries_and_delays() {
    TaskFlow tf = build();
    Job later =
        tf.enqueue(
                new TestJobs.Echo("later"), EnqueueOptions.defaults().delay(Duration.ofMinutes(5)))
            .job();
    tf.enqueue(new TestJobs.Echo("now"));

    assertThat(tf.runDueJobs()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(5));
    assertThat(tf.runDueJobs()).isEqualTo(1);
    assertThat(tf.get(later.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void the_sub_clients_say_their_feature_is_missing_and_every_call_throws_naming_it() {
    AtomicReference<PluginContext> plugin = new AtomicReference<>();
    TaskFlow tf =
        builder()
            .plugin(
                new TaskFlowPlugin() {
                  @Override
                  public String name() {
                    return "probe";
                  }

                  @Override
                  public void install(PluginContext context) {
                    plugin.set(context);
                  }
                })
            .build();
    toClose.add(tf);

    assertThat(tf.webhooks().supported()).isFalse();
    assertThat(tf.limits().supported()).isFalse();
    assertThat(tf.recurring().supported()).isFalse();
    assertThat(tf.batches().supported()).isFalse();
    assertThat(plugin.get().eventCursor("audit").supported()).isFalse();

    assertMissing(StorageFeature.WEBHOOKS, () -> tf.webhooks().list(null, 10));
    assertMissing(
        StorageFeature.WEBHOOKS,
        () ->
            tf.webhooks()
                .create("https://example.com/h", List.of("job.*"), null, null, null, Map.of()));
    assertMissing(StorageFeature.LIMITS, () -> tf.limits().list());
    assertMissing(
        StorageFeature.LIMITS,
        () -> tf.limits().put(FlowLimit.builder("one").maxRunning(1).build()));
    assertMissing(StorageFeature.RECURRING, () -> tf.recurring().list(null, 10));
    assertMissing(
        StorageFeature.RECURRING,
        () ->
            tf.recurring()
                .put(RecurringSchedule.cron("hourly", "0 * * * *").job("test.echo", "{}").build()));
    assertMissing(
        StorageFeature.FLOWS,
        () ->
            tf.batches()
                .enqueue(
                    BatchOptions.defaults(),
                    List.of(JobRequest.of("test.echo", "{\"text\":\"x\"}"))));
    assertMissing(StorageFeature.FLOWS, () -> tf.batches().get(UUID.randomUUID()));
    assertMissing(StorageFeature.FLOWS, () -> tf.batches().dependents(UUID.randomUUID(), 10));
    assertMissing(StorageFeature.CURSORS, () -> plugin.get().eventCursor("audit").position());
  }

  @Test
  void a_job_with_dependencies_is_refused_and_nothing_is_stored() {
    TaskFlow tf = build();
    Job parent = tf.enqueue(new TestJobs.Echo("parent")).job();

    assertMissing(
        StorageFeature.FLOWS,
        () ->
            tf.enqueue(
                new TestJobs.Echo("child"), EnqueueOptions.defaults().dependsOn(parent.id())));
    assertThat(tf.cluster().stateCounts().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
  }

  @Test
  void a_limit_given_to_the_builder_fails_the_build_naming_the_feature() {
    assertMissing(
        StorageFeature.LIMITS,
        () -> builder().limit(FlowLimit.builder("one").maxRunning(1).build()).build());
  }

  @Test
  void the_background_work_of_missing_features_does_not_run_and_says_so_once_at_start() {
    Logger engineLog = (Logger) LoggerFactory.getLogger(dev.taskflow.internal.engine.Engine.class);
    Logger recurringLog =
        (Logger) LoggerFactory.getLogger(dev.taskflow.internal.recurring.RecurringScheduler.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    engineLog.addAppender(logged);
    recurringLog.addAppender(logged);
    try {
      TaskFlow tf = build();
      tf.start();
      tf.start();

      assertThat(logged.list)
          .filteredOn(e -> e.getFormattedMessage().contains(" off: "))
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactlyInAnyOrder(
              "flow resolver off: the core-only store does not keep batches and job dependencies",
              "recurring scheduler off: the core-only store does not keep recurring schedules");
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .doesNotContain("taskflow-flow", "taskflow-recurring");
    } finally {
      engineLog.detachAppender(logged);
      recurringLog.detachAppender(logged);
    }
  }
}
