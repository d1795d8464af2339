package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobQuery;
import dev.taskflow.JobRequest;
import dev.taskflow.ParentFailure;
import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every enqueue rule of the Java API: a precise error naming field, rule and type; nothing stored.
 */
class EnqueueValidationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = ManualClock.at(NOW);
  private final TaskFlow taskflow =
      TaskFlow.builder()
          .storage(new InMemoryStorage(clock))
          .clock(clock)
          .maxArgsBytes(1024)
          .worker("demo.echo", Map.class, (a, ctx) -> a)
          .build();

  @AfterEach
  void close() {
    taskflow.close();
  }

  private static JobRequest echo(Function<EnqueueOptions, EnqueueOptions> opts) {
    return new JobRequest("demo.echo", "{}", opts.apply(EnqueueOptions.defaults()));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            "unknown type", new JobRequest("demo.nope", "{}", null), "type", "unknown_type"),
        Arguments.of("empty type", new JobRequest("", "{}", null), "type", "required"),
        Arguments.of(
            "type with a space", new JobRequest("demo echo", "{}", null), "type", "pattern"),
        Arguments.of("args not JSON", new JobRequest("demo.echo", "{", null), "args", "json"),
        Arguments.of("args an array", new JobRequest("demo.echo", "[1]", null), "args", "type"),
        Arguments.of(
            "args too large",
            new JobRequest("demo.echo", "{\"a\":\"" + "x".repeat(2000) + "\"}", null),
            "args",
            "max_size"),
        Arguments.of(
            "NUL in args",
            new JobRequest("demo.echo", "{\"a\":\"x\\u0000y\"}", null),
            "args/a",
            "nul_character"),
        Arguments.of("empty queue", echo(o -> o.queue("")), "queue", "required"),
        Arguments.of("overlong queue", echo(o -> o.queue("q".repeat(65))), "queue", "length"),
        Arguments.of("invalid queue", echo(o -> o.queue("no/slashes")), "queue", "pattern"),
        Arguments.of("NUL in queue", echo(o -> o.queue("a\0b")), "queue", "nul_character"),
        Arguments.of(
            "a C1 control in owner", echo(o -> o.owner("a\u0085b")), "owner", "control_character"),
        Arguments.of(
            "a C1 control in uniqueKey",
            echo(o -> o.uniqueKey("a\u009fb")),
            "uniqueKey",
            "control_character"),
        Arguments.of(
            "a C1 control in a tag",
            echo(o -> o.tags(List.of("a\u0080b"))),
            "tags/0",
            "control_character"),
        Arguments.of(
            "a C1 control in concurrencyKey",
            echo(o -> o.concurrencyKey("a\u0090b")),
            "concurrencyKey",
            "control_character"),
        Arguments.of("priority above range", echo(o -> o.priority(101)), "priority", "range"),
        Arguments.of("priority below range", echo(o -> o.priority(-101)), "priority", "range"),
        Arguments.of("maxAttempts zero", echo(o -> o.maxAttempts(0)), "maxAttempts", "range"),
        Arguments.of("maxAttempts negative", echo(o -> o.maxAttempts(-1)), "maxAttempts", "range"),
        Arguments.of("maxAttempts over 100", echo(o -> o.maxAttempts(101)), "maxAttempts", "range"),
        Arguments.of(
            "negative delay", echo(o -> o.delay(Duration.ofSeconds(-1))), "delay", "range"),
        Arguments.of(
            "runAt and delay",
            echo(o -> o.delay(Duration.ofSeconds(1)).runAt(NOW)),
            "delay",
            "exclusive"),
        Arguments.of(
            "runAt over a year ahead",
            echo(o -> o.runAt(NOW.plus(Duration.ofDays(366)))),
            "runAt",
            "range"),
        Arguments.of("zero timeout", echo(o -> o.timeout(Duration.ZERO)), "timeout", "range"),
        Arguments.of("empty owner", echo(o -> o.owner("")), "owner", "length"),
        Arguments.of(
            "NUL in unique key", echo(o -> o.uniqueKey("k\0")), "uniqueKey", "nul_character"),
        Arguments.of("blank tag", echo(o -> o.tags(" ")), "tags/0", "length"),
        Arguments.of(
            "too many tags",
            echo(o -> o.tags(java.util.Collections.nCopies(21, "t"))),
            "tags",
            "max_items"),
        Arguments.of(
            "a parent listed twice",
            echo(o -> o.dependsOn(PARENT, PARENT)),
            "dependsOn/1",
            "duplicate"),
        Arguments.of(
            "over 100 parents",
            echo(o -> o.dependsOn(Stream.generate(UUID::randomUUID).limit(101).toList())),
            "dependsOn",
            "max_items"),
        Arguments.of(
            "a parent failure policy without parents",
            echo(o -> o.onParentFailure(ParentFailure.RUN)),
            "onParentFailure",
            "requires_depends_on"),
        Arguments.of(
            "overlong concurrency key",
            echo(o -> o.concurrencyKey("k".repeat(256))),
            "concurrencyKey",
            "length"),
        Arguments.of(
            "control character in concurrency key",
            echo(o -> o.concurrencyKey("a\nb")),
            "concurrencyKey",
            "control_character"),
        Arguments.of(
            "uniqueFor without a unique key",
            echo(o -> o.uniqueFor(Duration.ofMinutes(5))),
            "uniqueFor",
            "requires_unique_key"),
        Arguments.of(
            "zero uniqueFor",
            echo(o -> o.uniqueKey("k").uniqueFor(Duration.ZERO)),
            "uniqueFor",
            "range"),
        Arguments.of(
            "uniqueFor over a year",
            echo(o -> o.uniqueKey("k").uniqueFor(Duration.ofDays(366))),
            "uniqueFor",
            "range"),
        Arguments.of(
            "startBy and startWithin",
            echo(o -> o.startBy(NOW.plusSeconds(60)).startWithin(Duration.ofMinutes(1))),
            "startWithin",
            "exclusive"),
        Arguments.of(
            "negative startWithin",
            echo(o -> o.startWithin(Duration.ofSeconds(-1))),
            "startWithin",
            "range"),
        Arguments.of("startBy in the past", echo(o -> o.startBy(NOW)), "startBy", "range"),
        Arguments.of(
            "startBy before runAt",
            echo(o -> o.runAt(NOW.plusSeconds(120)).startBy(NOW.plusSeconds(60))),
            "startBy",
            "before_run_at"),
        Arguments.of(
            "startBy before the delay makes the job due",
            echo(o -> o.delay(Duration.ofMinutes(2)).startBy(NOW.plusSeconds(60))),
            "startBy",
            "before_run_at"),
        Arguments.of(
            "startWithin shorter than the delay",
            echo(o -> o.delay(Duration.ofMinutes(2)).startWithin(Duration.ofMinutes(1))),
            "startWithin",
            "before_run_at"),
        Arguments.of(
            "startWithin ending before runAt",
            echo(o -> o.runAt(NOW.plusSeconds(120)).startWithin(Duration.ofMinutes(1))),
            "startWithin",
            "before_run_at"),
        Arguments.of(
            "runAt at the far past end of Instant",
            echo(o -> o.runAt(Instant.parse("-999999999-01-01T00:00:00Z"))),
            "runAt",
            "range"),
        Arguments.of(
            "runAt before 1970",
            echo(o -> o.runAt(Instant.parse("1969-12-31T23:59:59Z"))),
            "runAt",
            "range"));
  }

  private static final UUID PARENT = UUID.fromString("0190f5b2-0000-7000-8000-000000000001");

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void a_bad_request_is_refused_with_its_field_and_rule_and_stores_nothing(
      String name, JobRequest request, String field, String rule) {
    InvalidJobException e =
        catchThrowableOfType(InvalidJobException.class, () -> taskflow.enqueue(request));

    assertThat(e).as(name).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.rule()).isEqualTo(rule);
    assertThat(e.getMessage()).isNotBlank();
    if (!rule.equals("required") && !rule.equals("pattern") && !field.equals("type")) {
      assertThat(e.jobType()).isEqualTo("demo.echo");
    }
    assertThat(taskflow.list(JobQuery.all()).items()).isEmpty();
  }

  @Test
  void a_batch_with_one_bad_job_stores_none_and_names_the_bad_one_by_index() {
    List<JobRequest> batch = List.of(echo(o -> o), echo(o -> o.priority(500)), echo(o -> o));

    InvalidJobException e =
        catchThrowableOfType(InvalidJobException.class, () -> taskflow.enqueueAll(batch));

    assertThat(e.field()).isEqualTo("jobs/1/priority");
    assertThat(e.getMessage()).contains("500");
    assertThat(taskflow.list(JobQuery.all()).items()).isEmpty();
  }

  @Test
  void a_bad_cursor_or_limit_is_refused_by_name() {
    assertThat(
            catchThrowableOfType(
                    InvalidJobException.class,
                    () -> taskflow.list(JobQuery.all().cursor("not-a-cursor")))
                .field())
        .isEqualTo("cursor");
    assertThat(
            catchThrowableOfType(
                    InvalidJobException.class, () -> taskflow.list(JobQuery.all().limit(0)))
                .field())
        .isEqualTo("limit");
    assertThat(
            catchThrowableOfType(
                    InvalidJobException.class, () -> taskflow.list(JobQuery.all().limit(100_000)))
                .field())
        .isEqualTo("limit");
  }
}
