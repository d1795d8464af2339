package dev.taskflow.server;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** JSON given on the command line: text that is not JSON is a usage error naming the argument. */
final class JsonText {
  private JsonText() {}

  /**
   * Parses the JSON given as {@code what} (e.g. {@code --args}).
   *
   * @throws ParameterException saying what is wrong and how to quote JSON for the shell
   */
  static JsonNode parse(CommandSpec spec, String what, String text) {
    JsonNode n;
    try {
      n = ApiClient.JSON.readTree(text);
    } catch (JacksonException e) {
      throw notJson(spec, what, text, " (" + e.getOriginalMessage() + ")");
    }
    if (n == null || n.isMissingNode()) throw notJson(spec, what, text, "");
    return n;
  }

  /** {@link #parse}, and the JSON must be an object, as args are. */
  static JsonNode object(CommandSpec spec, String what, String text) {
    JsonNode n = parse(spec, what, text);
    if (!n.isObject()) {
      throw new ParameterException(
          spec.commandLine(),
          what
              + " must be a JSON object such as '{\"ms\": 500}', was: "
              + ApiClient.abbreviate(text));
    }
    return n;
  }

  private static ParameterException notJson(
      CommandSpec spec, String what, String text, String why) {
    return new ParameterException(
        spec.commandLine(),
        what
            + " is not valid JSON"
            + why
            + ": "
            + ApiClient.abbreviate(text)
            + System.lineSeparator()
            + "Quote it for the shell, e.g. '{\"ms\": 500}'");
  }
}
