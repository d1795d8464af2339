package dev.taskflow.server;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run without one, it is a usage error naming them. */
abstract class ParentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: " + subcommands(spec));
  }

  /** The names of a command's subcommands as a person lists them: {@code list, put or delete}. */
  static String subcommands(CommandSpec spec) {
    List<String> names = List.copyOf(spec.subcommands().keySet());
    if (names.size() == 1) return names.getFirst();
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
  }
}
