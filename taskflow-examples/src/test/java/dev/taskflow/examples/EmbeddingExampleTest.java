package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EmbeddingExampleTest {
  @TempDir Path dir;

  @Test
  void the_embedding_example_runs_its_job_to_completion_on_a_sqlite_file() throws Exception {
    Path db = dir.resolve("example.db");

    Job done = EmbeddingExample.run(db);

    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.type()).isEqualTo("embedding.generate");
    assertThat(done.attempt()).isEqualTo(1);
    JsonNode vector = JsonMapper.builder().build().readTree(done.resultJson()).get("vector");
    assertThat(vector.size()).isEqualTo(26);
    // "TaskFlow runs jobs durably." has two o's and three s's.
    assertThat(vector.get('o' - 'a').asDouble()).isEqualTo(2.0);
    assertThat(vector.get('s' - 'a').asDouble()).isEqualTo(3.0);
    assertThat(db).exists();
    assertThat(Files.size(db)).isPositive();
  }

  @Test
  void the_job_is_still_in_the_file_after_taskflow_closed() throws Exception {
    Path db = dir.resolve("example.db");
    Job first = EmbeddingExample.run(db);

    Job second = EmbeddingExample.run(db); // a new TaskFlow on the same file

    assertThat(second.id()).isNotEqualTo(first.id());
    try (var store = dev.taskflow.sqlite.SqliteStorage.open(db)) {
      assertThat(store.jobGet(first.id()))
          .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED));
    }
  }
}
