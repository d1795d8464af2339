package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The docs' code is code that compiles and runs in this build: every {@code tag::NAME[]} region of
 * the examples stands, word for word, in the README, and every {@code docs::NAME[]} region of an
 * example test in its page under docs/.
 */
class SnippetsTest {
  record Snippet(String name, String file, String code) {
    @Override
    public String toString() {
      return name + " (" + file + ")";
    }
  }

  static Stream<Snippet> readmeSnippets() throws IOException {
    List<Snippet> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SourceRegions.ROOT.resolve("taskflow-examples/src"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (SourceRegions.Region r : SourceRegions.of(Files.readString(f), "tag", "end")) {
          all.add(new Snippet(r.name(), f.getFileName().toString(), r.code()));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readmeSnippets")
  void the_readme_holds_each_example_region_word_for_word(Snippet snippet) throws IOException {
    String readme = Files.readString(SourceRegions.ROOT.resolve("README.md"));
    assertThat(readme)
        .as("README.md must contain the %s region of %s", snippet.name(), snippet.file())
        .contains(snippet.code());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "DependenciesExampleTest, docs/dependencies.md, 2",
    "FlowControlExampleTest, docs/flow-control.md, 5",
    "LimitsExampleTest, docs/limits.md, 2",
    "RecurringExampleTest, docs/recurring.md, 3"
  })
  void each_docs_page_holds_its_examples_regions_word_for_word(
      String example, String page, int regions) throws IOException {
    String source =
        Files.readString(
            SourceRegions.ROOT.resolve(
                "taskflow-examples/src/test/java/dev/taskflow/examples/" + example + ".java"));
    String docs = Files.readString(SourceRegions.ROOT.resolve(page));
    List<SourceRegions.Region> found = SourceRegions.of(source, "docs", "end-docs");
    for (SourceRegions.Region r : found) {
      assertThat(docs).as("%s must contain the %s region", page, r.name()).contains(r.code());
    }
    assertThat(found).as("docs:: regions of " + example).hasSize(regions);
  }
}
