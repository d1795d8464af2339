package dev.taskflow.server;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;

/** A command that shows the server's answer to one GET: as JSON with --json, else as text. */
abstract class ShowCommand extends ClientCommand {
  @Mixin OutputOptions output;

  /**
   * The path under {@code /api/v1/} to get.
   *
   * @throws ParameterException when an argument is malformed (exit code 2)
   */
  abstract String path();

  /** The query parameters; null values are left out. */
  Map<String, String> query() {
    return Map.of();
  }

  /** Writes the answer for a person. */
  abstract void print(PrintWriter out, JsonNode answer);

  @Override
  public Integer call() {
    String path = path();
    Map<String, String> query = query();
    return server.send(client -> output.print(client.get(path, query), this::print));
  }
}
