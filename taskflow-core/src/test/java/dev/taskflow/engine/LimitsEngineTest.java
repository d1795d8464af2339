package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskflow.FlowLimit;
import dev.taskflow.FlowLimit.Scope;
import dev.taskflow.InvalidLimitException;
import dev.taskflow.Job;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Limits in the Java API: validation naming each field, and the engine running under them. */
class LimitsEngineTest {
  private final List<TaskFlow> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() {
    toClose.forEach(tf -> tf.stop(Duration.ofSeconds(5)));
  }

  record Bad(String description, FlowLimit.Builder limit, String field, String rule) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Bad> bad() {
    return Stream.of(
        new Bad("no name", FlowLimit.builder(null).maxRunning(1), "name", "required"),
        new Bad("empty name", FlowLimit.builder("").maxRunning(1), "name", "required"),
        new Bad("name with a space", FlowLimit.builder("a b").maxRunning(1), "name", "pattern"),
        new Bad("name too long", FlowLimit.builder("n".repeat(65)).maxRunning(1), "name", "length"),
        new Bad(
            "type with a slash",
            FlowLimit.builder("x").type("a/b").maxRunning(1),
            "type",
            "pattern"),
        new Bad("empty queue", FlowLimit.builder("x").queue("").maxRunning(1), "queue", "length"),
        new Bad("neither running nor rate", FlowLimit.builder("x"), "maxRunning", "required"),
        new Bad("maxRunning zero", FlowLimit.builder("x").maxRunning(0), "maxRunning", "range"),
        new Bad(
            "maxRunning negative", FlowLimit.builder("x").maxRunning(-3), "maxRunning", "range"),
        new Bad(
            "maxRunning huge", FlowLimit.builder("x").maxRunning(1_000_001), "maxRunning", "range"),
        new Bad(
            "rate count zero",
            FlowLimit.builder("x").rate(0, Duration.ofMinutes(1)),
            "rateCount",
            "range"),
        new Bad(
            "rate without period", FlowLimit.builder("x").rate(5, null), "ratePeriod", "required"),
        new Bad(
            "rate period under a second",
            FlowLimit.builder("x").rate(5, Duration.ofMillis(999)),
            "ratePeriod",
            "range"),
        new Bad(
            "rate period over a day",
            FlowLimit.builder("x").rate(5, Duration.ofDays(2)),
            "ratePeriod",
            "range"),
        new Bad(
            "rate period finer than a millisecond",
            FlowLimit.builder("x").rate(5, Duration.ofSeconds(1).plusNanos(10)),
            "ratePeriod",
            "precision"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void a_bad_limit_is_refused_naming_the_field_and_the_rule(Bad bad) {
    assertThatThrownBy(() -> bad.limit().build())
        .isInstanceOfSatisfying(
            InvalidLimitException.class,
            e ->
                assertThat(e.violations())
                    .anySatisfy(
                        v -> {
                          assertThat(v.field()).isEqualTo(bad.field());
                          assertThat(v.rule()).isEqualTo(bad.rule());
                          assertThat(v.message()).contains(bad.field());
                        }));
  }

  @Test
  void a_scope_is_required_when_the_record_is_built_directly() {
    assertThatThrownBy(() -> new FlowLimit("x", null, null, null, 1, null, null))
        .isInstanceOf(InvalidLimitException.class)
        .hasMessageContaining("limit 'x'")
        .hasMessageContaining("scope");
  }

  private TaskFlow started(InMemoryStorage store, FlowLimit limit, AtomicInteger max) {
    AtomicInteger inFlight = new AtomicInteger();
    TaskFlow tf =
        TaskFlow.builder()
            .storage(store)
            .worker(
                "work",
                JsonNode.class,
                (args, ctx) -> {
                  max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  try {
                    return null;
                  } finally {
                    inFlight.decrementAndGet();
                  }
                })
            .queue("default", q -> q.concurrency(16))
            .limit(limit)
            .build();
    toClose.add(tf);
    return tf.start();
  }

  @Test
  void limits_given_to_the_builder_are_stored_at_build_and_replace_one_of_the_same_name() {
    InMemoryStorage store = new InMemoryStorage();
    store.open();
    store.limits().orElseThrow().save(FlowLimit.builder("mutex").maxRunning(7).build());

    TaskFlow tf =
        started(store, FlowLimit.builder("mutex").maxRunning(1).build(), new AtomicInteger());

    assertThat(tf.limits().get("mutex")).contains(FlowLimit.builder("mutex").maxRunning(1).build());
  }

  @Test
  void a_mutex_on_a_queue_with_sixteen_slots_runs_one_job_at_a_time_and_every_job_finishes() {
    AtomicInteger max = new AtomicInteger();
    // the default poll is 1 s: the jobs finish quickly only because a written outcome wakes the
    // fetcher whose last claim the limit cut short
    TaskFlow tf =
        started(new InMemoryStorage(), FlowLimit.builder("one").maxRunning(1).build(), max);
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) batch.add(JobRequest.of("work", "{}"));
    List<Job> jobs = tf.enqueueAll(batch).stream().map(r -> r.job()).toList();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.stream()
                    .allMatch(j -> tf.get(j.id()).orElseThrow().state() == JobState.COMPLETED));
    assertThat(max.get()).isEqualTo(1);
  }

  @Test
  void deleting_a_limit_wakes_the_fetchers_so_waiting_jobs_start() {
    AtomicInteger max = new AtomicInteger();
    TaskFlow tf =
        started(
            new InMemoryStorage(),
            FlowLimit.builder("closed").rate(1, Duration.ofDays(1)).build(),
            max);
    Job first = tf.enqueue(JobRequest.of("work", "{}")).job();
    Job second = tf.enqueue(JobRequest.of("work", "{}")).job();
    await().atMost(Duration.ofSeconds(5)).until(() -> state(tf, first) == JobState.COMPLETED);
    assertThat(state(tf, second)).isEqualTo(JobState.ENQUEUED);

    assertThat(tf.limits().delete("closed")).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> state(tf, second) == JobState.COMPLETED);
    assertThat(tf.limits().list().items()).isEmpty();
  }

  @Test
  void a_key_limit_uses_the_jobs_concurrency_key() {
    AtomicInteger max = new AtomicInteger();
    TaskFlow tf =
        started(
            new InMemoryStorage(),
            FlowLimit.builder("per-key").scope(Scope.KEY).rate(1, Duration.ofDays(1)).build(),
            max);
    Job a1 = tf.enqueue(keyed("a")).job();
    Job b1 = tf.enqueue(keyed("b")).job();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> state(tf, a1) == JobState.COMPLETED && state(tf, b1) == JobState.COMPLETED);
    Job a2 = tf.enqueue(keyed("a")).job();
    Job free = tf.enqueue(JobRequest.of("work", "{}")).job();

    await().atMost(Duration.ofSeconds(5)).until(() -> state(tf, free) == JobState.COMPLETED);
    assertThat(state(tf, a2)).isEqualTo(JobState.ENQUEUED);
  }

  @Test
  void a_fetcher_whose_queue_is_all_limited_waits_for_its_poll_instead_of_spinning()
      throws Exception {
    InMemoryStorage real = new InMemoryStorage();
    AtomicInteger claims = new AtomicInteger();
    Storage counting =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("jobClaim")) claims.incrementAndGet();
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    CountDownLatch release = new CountDownLatch(1);
    TaskFlow tf =
        TaskFlow.builder()
            .storage(counting)
            .worker(
                "hold",
                JsonNode.class,
                (args, ctx) -> {
                  release.await();
                  return null;
                })
            .queue("default", q -> q.concurrency(8))
            .pollInterval(Duration.ofMillis(100))
            .limit(FlowLimit.builder("one").maxRunning(1).build())
            .build();
    toClose.add(tf);
    tf.start();
    try {
      Job holder = tf.enqueue(JobRequest.of("hold", "{}")).job();
      await().atMost(Duration.ofSeconds(5)).until(() -> state(tf, holder) == JobState.PROCESSING);
      for (int i = 0; i < 20; i++) tf.enqueue(JobRequest.of("hold", "{}"));
      int before = claims.get();

      // about ten polls a second (plus the wake-ups of the enqueues); a spinning loop makes
      // thousands
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> claims.get() - before < 60);
    } finally {
      release.countDown();
    }
  }

  private static JobRequest keyed(String key) {
    return new JobRequest("work", "{}", dev.taskflow.EnqueueOptions.defaults().concurrencyKey(key));
  }

  private static JobState state(TaskFlow tf, Job job) {
    return tf.get(job.id()).orElseThrow().state();
  }
}
