package dev.taskflow.server;

import dev.taskflow.server.ApiClient.ApiException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --url} of the commands that talk to a running server, and how they talk to it: a
 * request's exit code is 0, or 1 with the reason on stderr when the server refused it or could not
 * be reached.
 */
final class ClientOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:TASKFLOW_URL:-http://127.0.0.1:8080}",
      description = "The server (default: $TASKFLOW_URL or ${DEFAULT-VALUE}).")
  String url;

  /** One exchange with the server, printing what it answered. */
  interface Request {
    void send(ApiClient client) throws ApiException;
  }

  /**
   * Sends the request to {@code --url}; returns the exit code.
   *
   * @throws ParameterException when {@code --url} is not an http(s) URL (exit code 2)
   */
  int send(Request request) {
    ApiClient client;
    try {
      client = new ApiClient(url);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
    try {
      request.send(client);
      return 0;
    } catch (ApiException e) {
      command.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
  }
}
