package dev.taskflow.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobListParams;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Set<UUID> acked = ConcurrentHashMap.newKeySet();
    Set<UUID> done = ConcurrentHashMap.newKeySet();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                      if (line.startsWith("ACK ")) acked.add(UUID.fromString(line.substring(4)));
                      if (line.startsWith("DONE ")) done.add(UUID.fromString(line.substring(5)));
                    }
                  } catch (Exception e) {
                    // the child died: its output ends here
                  }
                });
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> acked.size() >= 300 || !child.isAlive());
      assertThat(child.isAlive()).as("the child is still writing").isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
      child.waitFor();
      reader.join(Duration.ofSeconds(10));
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
}
