package dev.taskflow.sqlite;

import dev.taskflow.Job;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The child JVM of {@link SqliteCrashIT}: writes to the store forever and prints a line for each
 * write after it returned ({@code ACK id} for an insert, {@code DONE id} for a completion), until
 * the parent kills it.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    SqliteStorage store = SqliteStorage.open(Path.of(args[0]));
    for (long n = 0; ; n++) {
      UUID id = UUID.randomUUID();
      store.jobInsertMany(
          new JobInsertManyParams(
              List.of(
                  new NewJob(
                      id,
                      "crash.test",
                      "default",
                      0,
                      "{\"n\":" + n + "}",
                      3,
                      null,
                      null,
                      null,
                      null,
                      null,
                      List.of())),
              "child"));
      System.out.println("ACK " + id);
      if (n % 5 == 4) {
        List<Job> claimed =
            store.jobClaim(
                new JobClaimParams(
                    "default", 3, "child", Duration.ofMinutes(5), Set.of(), Map.of()));
        List<JobFinish> done = new ArrayList<>();
        for (Job j : claimed) {
          done.add(new JobFinish.Completed(new JobLease(j.id(), j.attempt(), "child"), "{}"));
        }
        for (UUID d : store.jobFinishMany(new JobFinishManyParams(done))) {
          System.out.println("DONE " + d);
        }
      }
      System.out.flush();
    }
  }
}
