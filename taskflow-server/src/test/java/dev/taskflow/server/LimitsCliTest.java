package dev.taskflow.server;

import static dev.taskflow.server.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.FlowLimit;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskflow limits list|put|delete} against a real server (in-memory store). */
class LimitsCliTest {
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

  @Test
  void put_stores_a_limit_that_list_shows_and_delete_removes() {
    CliTest.Result put =
        cli(
            "limits",
            "put",
            "mails",
            "--type=demo.echo",
            "--scope=owner",
            "--max-running=2",
            "--rate=100/1m",
            url);
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).contains("Limit mails stored.");
    assertThat(server.taskflow().limits().get("mails"))
        .contains(
            FlowLimit.builder("mails")
                .type("demo.echo")
                .scope(FlowLimit.Scope.OWNER)
                .maxRunning(2)
                .rate(100, Duration.ofMinutes(1))
                .build());

    CliTest.Result list = cli("limits", "list", url);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("NAME", "mails", "demo.echo", "owner", "100/PT1M");

    CliTest.Result delete = cli("limits", "delete", "mails", url);
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(server.taskflow().limits().get("mails")).isEmpty();
    assertThat(cli("limits", "list", url).out()).contains("No limits.");
  }

  @Test
  void a_limit_the_server_refuses_prints_the_field_and_exits_1() {
    CliTest.Result r = cli("limits", "put", "broken", "--max-running=0", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("maxRunning");
  }

  @Test
  void deleting_an_unknown_limit_exits_1() {
    CliTest.Result r = cli("limits", "delete", "nobody", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nobody");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--rate=100", "--rate=x/1m", "--rate=5/soon"})
  void a_malformed_rate_is_a_usage_error(String option) {
    CliTest.Result r = cli("limits", "put", "x", option, url);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains("--rate");
  }

  @Test
  void a_bad_limit_name_is_a_usage_error() {
    CliTest.Result r = cli("limits", "delete", "bad name", url);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("limit name");
  }
}
