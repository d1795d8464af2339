package dev.taskflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** The event filter's compiled matcher against the plain reading of its rules. */
class EventFilterTest {
  private static final List<String> PARTS = List.of("job", "batch", "a", "ab", "x", "webhook", "");

  /**
   * The rule as documented: a type matches when equal, or when a pattern ending in * prefixes it.
   */
  private static boolean naive(Set<String> types, String type) {
    if (types.isEmpty()) return true;
    for (String t : types) {
      if (t.endsWith("*") ? type.startsWith(t.substring(0, t.length() - 1)) : t.equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static Gen<String> name() {
    Gen<String> part = Generate.pick(PARTS);
    return part.zip(part, part, (a, b, c) -> a + "." + b + c)
        .map(s -> s.length() > 12 ? s.substring(0, 12) : s);
  }

  private static Gen<String> pattern() {
    return name()
        .zip(
            SourceDSL.booleans().all(),
            SourceDSL.integers().between(0, 12),
            (n, star, cut) -> {
              String base = n.substring(0, Math.min(cut, n.length()));
              return star ? base + "*" : n;
            });
  }

  private static JobEvent event(String type) {
    return new JobEvent("1", type, Instant.EPOCH, UUID.randomUUID(), "t", "q", null, "{}");
  }

  @Test
  void the_compiled_matcher_agrees_with_the_rule_for_any_patterns_and_type() {
    qt().withExamples(3_000)
        .forAll(SourceDSL.lists().of(pattern()).ofSizeBetween(0, 20), name())
        .checkAssert(
            (patterns, type) -> {
              Set<String> types = new HashSet<>(patterns);
              Predicate<JobEvent> m = new EventFilter(null, types, null, null, null).matcher();
              assertThat(m.test(event(type)))
                  .as(types + " ~ " + type)
                  .isEqualTo(naive(types, type));
            });
  }

  @Test
  void the_other_fields_still_narrow_a_compiled_filter() {
    UUID job = UUID.randomUUID();
    JobEvent e =
        new JobEvent("7", "job.completed", Instant.EPOCH, job, "mail.send", "q1", "o1", "{}");

    assertThat(new EventFilter(job, Set.of("job.*"), "mail.send", "q1", "o1").matcher().test(e))
        .isTrue();
    assertThat(new EventFilter(UUID.randomUUID(), Set.of(), null, null, null).matcher().test(e))
        .isFalse();
    assertThat(new EventFilter(null, Set.of(), "other", null, null).matcher().test(e)).isFalse();
    assertThat(new EventFilter(null, Set.of(), null, "q2", null).matcher().test(e)).isFalse();
    assertThat(new EventFilter(null, Set.of(), null, null, "o2").matcher().test(e)).isFalse();
    assertThat(new EventFilter(null, Set.of("*"), null, null, null).matcher().test(e)).isTrue();
  }

  @Test
  void a_filter_holds_at_most_64_types() {
    Set<String> many =
        IntStream.range(0, EventFilter.MAX_TYPES + 1)
            .mapToObj(i -> "zz" + i + ".*")
            .collect(Collectors.toSet());

    assertThatThrownBy(() -> new EventFilter(null, many, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64 types, got 65");
    assertThat(
            new EventFilter(null, Set.copyOf(List.copyOf(many).subList(0, 64)), null, null, null)
                .types())
        .hasSize(64);
  }
}
