package dev.taskflow.server;

import java.io.PrintWriter;
import java.util.function.BiConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;

/** The {@code --json} option: the server's answer as JSON for scripts, or as text for a person. */
final class OutputOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--json", description = "Print the server's answer as JSON instead of text.")
  boolean json;

  /** Prints the answer as JSON with {@code --json}, else as {@code text} writes it. */
  void print(JsonNode answer, BiConsumer<PrintWriter, JsonNode> text) {
    if (json) printJson(out(), answer);
    else text.accept(out(), answer);
  }

  PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** Prints the JSON indented, as the server's answers read best. */
  static void printJson(PrintWriter out, JsonNode node) {
    out.println(ApiClient.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
  }
}
