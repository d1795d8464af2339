package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code tag::NAME[]} region of the examples stands, word for word, in the README: the
 * README's code is code that compiles and runs in this build.
 */
class ReadmeSnippetsTest {
  record Snippet(String name, String file, String code) {
    @Override
    public String toString() {
      return name + " (" + file + ")";
    }
  }

  static Stream<Snippet> snippets() throws IOException {
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
  @MethodSource("snippets")
  void the_readme_holds_each_example_region_word_for_word(Snippet snippet) throws IOException {
    String readme = Files.readString(SourceRegions.ROOT.resolve("README.md"));
    assertThat(readme)
        .as("README.md must contain the %s region of %s", snippet.name(), snippet.file())
        .contains(snippet.code());
  }
}
