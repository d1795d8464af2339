package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.QueueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskflow queues list|set} against a real server (in-memory store). */
class QueuesCliTest {
  @RegisterExtension static final CliServer server = new CliServer();

  private static QueueInfo queue(String name) {
    return server.taskflow().queues().list().stream()
        .filter(q -> q.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void set_bounds_a_queue_that_list_shows_and_none_removes_the_bound() {
    Cli.Result set = server.cli("queues", "set", "parked", "--max-depth=3");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("Queue parked: max depth 3, 0 waiting.");
    assertThat(queue("parked").maxDepth()).isEqualTo(3);

    Cli.Result list = server.cli("queues", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("MAX DEPTH", "parked", "3");

    Cli.Result none = server.cli("queues", "set", "parked", "--max-depth=none");
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(server.taskflow().queues().list())
        .as("an empty queue without a bound is not listed")
        .noneMatch(q -> q.name().equals("parked"));
  }

  @Test
  void an_enqueue_into_a_full_queue_fails_with_the_servers_reason() {
    assertThat(server.cli("queues", "set", "full", "--max-depth=0").code()).isZero();

    Cli.Result r = server.cli("enqueue", "demo.echo", "--queue=full");

    r.assertFailed("full", "max depth 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "ten", "1000000001", ""})
  void a_bad_max_depth_is_a_usage_error(String bad) {
    Cli.Result r = server.cli("queues", "set", "q", "--max-depth=" + bad);

    r.assertUsageError("--max-depth must be 0..1000000000 or none");
  }
}
