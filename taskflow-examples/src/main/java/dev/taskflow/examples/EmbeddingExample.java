package dev.taskflow.examples;

import dev.taskflow.Job;
import dev.taskflow.JobArgs;
import dev.taskflow.JobType;
import dev.taskflow.TaskFlow;
import dev.taskflow.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * TaskFlow embedded in a Java program: a job type, a worker, the SQLite store, one job, its result.
 * The README copies the region between the {@code tag::embed[]} markers, and {@code
 * EmbeddingExampleTest} runs it, so the README cannot drift from code that works.
 *
 * <p>{@link #main} takes the database file as its argument (default {@code embedding-example.db}).
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) throws Exception {
    Job done = run(Path.of(args.length > 0 ? args[0] : "embedding-example.db"));
    System.out.println(done.state().wireName() + ": " + done.resultJson());
  }

  // tag::embed[]
  @JobType("embedding.generate")
  public record EmbedArgs(String documentId, String text) implements JobArgs {}

  public static Job run(Path dbFile) throws Exception {
    try (TaskFlow taskflow =
        TaskFlow.builder()
            .storage(SqliteStorage.open(dbFile))
            .worker(EmbedArgs.class, (args, ctx) -> Map.of("vector", embed(args.text())))
            .build()
            .start()) {
      Job job = taskflow.enqueue(new EmbedArgs("doc-42", "TaskFlow runs jobs durably.")).job();
      return taskflow.awaitFinished(job.id(), Duration.ofSeconds(30));
    }
  }

  // end::embed[]

  /** Stands in for a real embedding model: letter frequencies of the text, a-z. */
  static double[] embed(String text) {
    double[] v = new double[26];
    for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      if (c >= 'a' && c <= 'z') v[c - 'a']++;
    }
    return v;
  }
}
