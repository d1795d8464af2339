package dev.taskflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The CLI in this JVM, as a user would run it, with its output captured. */
final class Cli {
  private Cli() {}

  /** What a run printed and its exit code. */
  record Result(int code, String out, String err) {
    /** Asserts a usage error: exit code 2, and stderr that starts with "error: " and names each. */
    void assertUsageError(String... mentions) {
      assertThat(code).as(out + err).isEqualTo(2);
      assertErrorNaming(mentions);
    }

    /** Asserts exit code 1 (the server refused or is unreachable), stderr naming each mention. */
    void assertFailed(String... mentions) {
      assertThat(code).as(out + err).isEqualTo(Main.EXIT_FAILED);
      assertErrorNaming(mentions);
    }

    private void assertErrorNaming(String... mentions) {
      assertThat(err).startsWith("error: ");
      for (String m : mentions) assertThat(err).contains(m);
    }
  }

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Parses {@code server} options as the CLI does, and starts it without blocking. */
  static ServerCommand.Running startServer(String... options) throws Exception {
    var cl = Main.commandLine();
    String[] args = new String[options.length + 1];
    args[0] = "server";
    System.arraycopy(options, 0, args, 1, options.length);
    cl.parseArgs(args);
    ServerCommand cmd = cl.getSubcommands().get("server").getCommand();
    return cmd.start();
  }
}
