package dev.taskflow.server;

import dev.taskflow.benchmarks.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code taskflow} command line: {@code server}, {@code worker}, {@code enqueue}, {@code jobs},
 * {@code resources}, {@code batches}, {@code bench} and more (see {@code taskflow --help}). Exit
 * codes: 0 success, 1 the server refused or could not be reached, 2 bad command-line arguments.
 */
@Command(
    name = "taskflow",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "TaskFlow: durable background jobs for the JVM.",
    subcommands = {
      ServerCommand.class,
      WorkerCommand.class,
      MigrateCommand.class,
      EnqueueCommand.class,
      JobsCommand.class,
      QueuesCommand.class,
      RecurringCommand.class,
      LimitsCommand.class,
      ResourcesCommand.class,
      BatchesCommand.class,
      BenchCommand.class,
      HelpCommand.class
    },
    footer = {
      "",
      "Start here:  taskflow server --demo",
      "Then:        taskflow enqueue demo.sleep '{\"ms\": 3000, \"steps\": 3}'",
      "             taskflow jobs"
    })
public final class Main implements Runnable {
  /** Exit code when the server refused a request or could not be reached. */
  public static final int EXIT_FAILED = 1;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    return Converters.registerAll(new CommandLine(new Main()))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Main::usageError);
  }

  /** Runs the CLI without exiting the JVM; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing a command: " + ParentCommand.subcommands(spec));
  }

  /** A bad argument: one line saying what is wrong and where to get help, not the whole help. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The version from the jar's manifest, or {@code dev} when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"taskflow " + (v == null ? "dev" : v)};
    }
  }
}
