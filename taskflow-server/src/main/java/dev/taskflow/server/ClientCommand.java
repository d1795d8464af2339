package dev.taskflow.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a running server: its {@code --url}, and its spec for usage errors. */
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions server;
}
