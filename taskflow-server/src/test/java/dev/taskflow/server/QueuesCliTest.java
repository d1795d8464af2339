package dev.taskflow.server;

import static dev.taskflow.server.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.QueueInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskflow queues list|set} against a real server (in-memory store). */
class QueuesCliTest {
  private static ServerCommand.Running server;
  private static String url;

  @BeforeAll
  static void start_server() throws Exception {
    server = CliTest.startServer("--demo", "--store", "memory", "--port", "0");
    url = "--url=" + server.url();
  }

  @AfterAll
  static void stop_server() {
    server.close();
  }

  private static QueueInfo queue(String name) {
    return server.taskflow().queues().list().stream()
        .filter(q -> q.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void set_bounds_a_queue_that_list_shows_and_none_removes_the_bound() {
    CliTest.Result set = cli("queues", "set", "parked", "--max-depth=3", url);
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("Queue parked: max depth 3, 0 waiting.");
    assertThat(queue("parked").maxDepth()).isEqualTo(3);

    CliTest.Result list = cli("queues", "list", url);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("MAX DEPTH", "parked", "3");

    CliTest.Result none = cli("queues", "set", "parked", "--max-depth=none", url);
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(server.taskflow().queues().list())
        .as("an empty queue without a bound is not listed")
        .noneMatch(q -> q.name().equals("parked"));
  }

  @Test
  void an_enqueue_into_a_full_queue_fails_with_the_servers_reason() {
    assertThat(cli("queues", "set", "full", "--max-depth=0", url).code()).isZero();

    CliTest.Result r = cli("enqueue", "demo.echo", "--queue=full", url);

    assertThat(r.code()).isEqualTo(Main.EXIT_FAILED);
    assertThat(r.err()).contains("full", "max depth 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "ten", "1000000001", ""})
  void a_bad_max_depth_is_a_usage_error(String bad) {
    CliTest.Result r = cli("queues", "set", "q", "--max-depth=" + bad, url);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--max-depth must be 0..1000000000 or none");
  }
}
