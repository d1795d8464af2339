package dev.taskflow.server;

import picocli.CommandLine.Option;

/** Which jobs a command is about: those of a type, on a queue, or both (neither: all). */
final class JobMatch {
  @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
  String type;

  @Option(names = "--queue", paramLabel = "NAME", description = "Only jobs on this queue.")
  String queue;
}
