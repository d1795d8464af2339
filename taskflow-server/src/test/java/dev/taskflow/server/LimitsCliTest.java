package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.FlowLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskflow limits list|put|delete} against a real server (in-memory store). */
class LimitsCliTest {
  @RegisterExtension static final CliServer server = new CliServer();

  @Test
  void put_stores_a_limit_that_list_shows_and_delete_removes() {
    Cli.Result put =
        server.cli(
            "limits",
            "put",
            "mails",
            "--type=demo.echo",
            "--scope=owner",
            "--max-running=2",
            "--rate=100/1m");
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

    Cli.Result list = server.cli("limits", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("NAME", "mails", "demo.echo", "owner", "100/PT1M");

    Cli.Result delete = server.cli("limits", "delete", "mails");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(server.taskflow().limits().get("mails")).isEmpty();
    assertThat(server.cli("limits", "list").out()).contains("No limits.");
  }

  @Test
  void a_limit_the_server_refuses_prints_the_field_and_exits_1() {
    Cli.Result r = server.cli("limits", "put", "broken", "--max-running=0");

    r.assertFailed("maxRunning");
  }

  @Test
  void deleting_an_unknown_limit_exits_1() {
    Cli.Result r = server.cli("limits", "delete", "nobody");

    r.assertFailed("nobody");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--rate=100", "--rate=x/1m", "--rate=5/soon"})
  void a_malformed_rate_is_a_usage_error(String option) {
    Cli.Result r = server.cli("limits", "put", "x", option);

    r.assertUsageError("--rate");
  }

  @Test
  void a_bad_limit_name_is_a_usage_error() {
    Cli.Result r = server.cli("limits", "delete", "bad name");

    r.assertUsageError("limit name");
  }
}
