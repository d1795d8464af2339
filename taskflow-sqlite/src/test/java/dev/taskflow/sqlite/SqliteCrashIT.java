package dev.taskflow.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.fixtures.ChildJvm;
import dev.taskflow.spi.JobListParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise on a real crash: a child JVM writes to a SQLite file and is killed with
 * SIGKILL in the middle of its writes; every write it saw return is in the file afterwards.
 */
class SqliteCrashIT {
  @TempDir Path dir;

  @Test
  void every_write_that_returned_survives_a_kill_of_the_process() throws Exception {
    Path file = dir.resolve("crash.db");
    Set<UUID> acked;
    Set<UUID> done;
    try (ChildJvm child =
        ChildJvm.main(CrashChild.class.getName())
            .jvmArgs("--enable-native-access=ALL-UNNAMED")
            .args(file.toString())
            .start(dir.resolve("child.log"))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> printed(child, "ACK").size() >= 300 || !child.isAlive());
      assertThat(child.isAlive()).as("the child is still writing").isTrue();
      child.kill(); // SIGKILL: no shutdown hooks, no close()
      acked = printed(child, "ACK");
      done = printed(child, "DONE");
    }

    try (SqliteStorage store = SqliteStorage.open(file)) {
      List<Job> all = new ArrayList<>();
      UUID before = null;
      for (List<Job> page; ; before = page.getLast().id()) {
        page =
            store.jobList(
                new JobListParams(
                    EnumSet.allOf(JobState.class), null, null, null, null, before, 500));
        all.addAll(page);
        if (page.size() < 500) break;
      }
      Map<UUID, JobState> states = new ConcurrentHashMap<>();
      all.forEach(j -> states.put(j.id(), j.state()));

      assertThat(states.keySet()).as("acknowledged inserts").containsAll(acked);
      assertThat(done).allSatisfy(id -> assertThat(states.get(id)).isEqualTo(JobState.COMPLETED));
      Map<JobState, Long> scanned = new EnumMap<>(JobState.class);
      for (JobState s : JobState.values()) scanned.put(s, 0L);
      all.forEach(j -> scanned.merge(j.state(), 1L, Long::sum));
      assertThat(store.jobCountByState()).as("counters after recovery").isEqualTo(scanned);
    }
  }

  /** The ids the child printed after {@code what} ({@code ACK id}, {@code DONE id}). */
  private static Set<UUID> printed(ChildJvm child, String what) {
    Set<UUID> ids = new HashSet<>();
    Matcher m =
        Pattern.compile("^" + what + " ([0-9a-f-]{36})$", Pattern.MULTILINE).matcher(child.log());
    while (m.find()) ids.add(UUID.fromString(m.group(1)));
    return ids;
  }
}
