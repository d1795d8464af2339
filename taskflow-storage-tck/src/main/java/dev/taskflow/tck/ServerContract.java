package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.ServerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry of live servers. */
public interface ServerContract extends TckSupport {

  private ServerInfo server(String id, int running) {
    return new ServerInfo(
        id, "host-" + id, StorageTck.T0, Instant.EPOCH, Map.of("default", 4, "mail", 2), running);
  }

  @Test
  default void a_heartbeat_registers_a_server_at_store_time() {
    Instant now = clock().advance(Duration.ofSeconds(1));

    store().serverHeartbeat(server("s1", 3));

    assertThat(store().serverList(now.minusSeconds(60)))
        .containsExactly(
            new ServerInfo(
                "s1", "host-s1", StorageTck.T0, now, Map.of("default", 4, "mail", 2), 3));
  }

  @Test
  default void a_later_heartbeat_refreshes_the_server() {
    store().serverHeartbeat(server("s1", 1));
    Instant later = clock().advance(Duration.ofSeconds(30));

    store().serverHeartbeat(server("s1", 5));

    assertThat(store().serverList(StorageTck.T0))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.lastHeartbeatAt()).isEqualTo(later);
              assertThat(s.running()).isEqualTo(5);
            });
  }

  @Test
  default void the_list_holds_servers_that_beat_at_or_after_since() {
    store().serverHeartbeat(server("old", 0));
    Instant t1 = clock().advance(Duration.ofMinutes(1));
    store().serverHeartbeat(server("new", 0));

    assertThat(store().serverList(t1)).extracting(ServerInfo::id).containsExactly("new");
    assertThat(store().serverList(StorageTck.T0))
        .extracting(ServerInfo::id)
        .containsExactlyInAnyOrder("old", "new");
    assertThat(store().serverList(t1.plusMillis(1))).isEmpty();
  }

  @Test
  default void a_removed_server_is_no_longer_listed() {
    store().serverHeartbeat(server("s1", 0));
    store().serverHeartbeat(server("s2", 0));

    store().serverRemove("s1");
    store().serverRemove("never-registered");

    assertThat(store().serverList(StorageTck.T0)).extracting(ServerInfo::id).containsExactly("s2");
  }
}
