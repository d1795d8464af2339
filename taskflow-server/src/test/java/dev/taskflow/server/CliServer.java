package dev.taskflow.server;

import dev.taskflow.TaskFlow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server for a test class's CLI calls: the demo types on an in-memory store and a random
 * port, started before the class's tests and stopped after them.
 *
 * <pre>{@code
 * @RegisterExtension static final CliServer server = new CliServer();
 * ... server.cli("limits", "list") ... server.taskflow() ...
 * }</pre>
 */
final class CliServer implements BeforeAllCallback, AfterAllCallback {
  private final List<String> options = new ArrayList<>();
  private ServerCommand.Running running;

  /**
   * @param moreOptions {@code server} options besides the demo types, memory and port 0
   */
  CliServer(String... moreOptions) {
    options.addAll(List.of("--demo", "--store", "memory", "--port", "0"));
    options.addAll(List.of(moreOptions));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    running = Cli.startServer(options.toArray(String[]::new));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (running != null) running.close();
  }

  /** The CLI with these arguments and then {@code --url} of this server. */
  Cli.Result cli(String... args) {
    String[] withUrl = new String[args.length + 1];
    System.arraycopy(args, 0, withUrl, 0, args.length);
    withUrl[args.length] = "--url=" + url();
    return Cli.cli(withUrl);
  }

  TaskFlow taskflow() {
    return running.taskflow();
  }

  String url() {
    return running.url();
  }

  int port() {
    return running.port();
  }

  String banner() {
    return running.banner();
  }
}
