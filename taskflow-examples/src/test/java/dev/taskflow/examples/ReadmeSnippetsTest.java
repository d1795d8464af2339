package dev.taskflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code tag::NAME[]} region of the examples stands, word for word, in the README: the
 * README's code is code that compiles and runs in this build.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REGION =
      Pattern.compile("// tag::([a-z-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

  record Snippet(String name, String file, String code) {
    @Override
    public String toString() {
      return name + " (" + file + ")";
    }
  }

  static Stream<Snippet> snippets() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT.resolve("taskflow-examples/src"))) {
      return files.filter(f -> f.toString().endsWith(".java")).toList().stream()
          .flatMap(ReadmeSnippetsTest::regions);
    }
  }

  private static Stream<Snippet> regions(Path file) {
    try {
      Matcher m = REGION.matcher(Files.readString(file));
      List<Snippet> out = new java.util.ArrayList<>();
      while (m.find())
        out.add(new Snippet(m.group(1), file.getFileName().toString(), dedent(m.group(2))));
      return out.stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String dedent(String code) {
    List<String> lines = code.strip().isEmpty() ? List.of() : code.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : lines) sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    return sb.toString().strip();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snippets")
  void the_readme_holds_each_example_region_word_for_word(Snippet snippet) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme)
        .as("README.md must contain the %s region of %s", snippet.name(), snippet.file())
        .contains(snippet.code());
  }
}
