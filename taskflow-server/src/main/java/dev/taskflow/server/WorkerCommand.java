package dev.taskflow.server;

import dev.taskflow.TaskFlow;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code taskflow worker}: the engine only, no HTTP API, for scaling out on a shared store. Runs
 * until SIGTERM or Ctrl+C, then stops gracefully like the server.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the TaskFlow engine without the HTTP API: it claims and runs jobs of the given queues"
          + " from a store that other servers and workers share (PostgreSQL).",
      EngineOptions.STOPS_GRACEFULLY
    },
    footer = {
      "",
      "Examples:",
      "  taskflow worker --demo --store postgres://app@db.example:5432/app?schema=jobs",
      "  taskflow worker --demo --store postgres://app@db/app --queue default=50 --queue mail=4"
    })
final class WorkerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  @Spec CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(
      names = "--store",
      required = true,
      paramLabel = StoreSpec.LABEL,
      description = "The shared store the worker takes jobs from.")
  StoreSpec store;

  @Override
  public Integer call() throws InterruptedException {
    if (store.isMemory()) {
      throw new ParameterException(
          spec.commandLine(),
          "a worker needs a store other processes can reach (postgres://.. or sqlite:PATH), not"
              + " memory");
    }
    TaskFlow taskflow;
    try {
      taskflow = engine.start(engine.builder(), store);
    } catch (StartupException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    if (!engine.demo) {
      log.warn("no job types are registered, so this worker claims nothing; add --demo");
    }
    PrintWriter out = spec.commandLine().getOut();
    EngineOptions.runUntilSignalled(
        log,
        () -> {
          out.println(
              "TaskFlow worker is running (store: "
                  + store
                  + ", queues: "
                  + (engine.queues.isEmpty() ? "default=10" : engine.queues)
                  + "). Stop with Ctrl+C or SIGTERM.");
          out.flush();
        },
        taskflow::close);
    return 0;
  }
}
