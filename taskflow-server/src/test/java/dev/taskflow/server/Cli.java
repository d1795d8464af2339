package dev.taskflow.server;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The CLI in this JVM, as a user would run it, with its output captured. */
final class Cli {
  private Cli() {}

  record Result(int code, String out, String err) {}

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
