package dev.taskflow.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marked regions of the examples' sources that the docs copy word for word: {@code //
 * tag::NAME[]} .. {@code // end::NAME[]} for the README, {@code // docs::NAME[]} .. {@code //
 * end-docs::NAME[]} for a page under docs/. A region's code is compared dedented.
 */
final class SourceRegions {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private SourceRegions() {}

  record Region(String name, String code) {}

  /** The regions marked {@code // <start>::NAME[]} .. {@code // <end>::NAME[]} in the source. */
  static List<Region> of(String source, String start, String end) {
    Matcher m =
        Pattern.compile(
                "// " + start + "::([a-z-]+)\\[]\\n(.*?)\\n\\s*// " + end + "::\\1\\[]",
                Pattern.DOTALL)
            .matcher(source);
    List<Region> regions = new ArrayList<>();
    while (m.find()) regions.add(new Region(m.group(1), dedent(m.group(2))));
    return regions;
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
}
