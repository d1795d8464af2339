package dev.taskflow.benchmarks;

import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.spi.Storage;
import dev.taskflow.sqlite.SqliteStorage;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The server the HTTP and memory figures run against, in a child JVM: TaskFlow and its HTTP API
 * exactly as {@code taskflow server} builds them (builder and web defaults), with the no-op job
 * type and one queue, {@code default}. It lives here rather than in the CLI module because the CLI
 * depends on this module. It prints {@code port=N} when it listens and stops when its stdin closes.
 *
 * <p>Arguments: {@code STORE CONCURRENCY}, where STORE is {@code memory} or {@code sqlite:PATH}.
 */
public final class BenchServer {
  static final String PORT_LINE = "port=";

  private BenchServer() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BenchServer memory|sqlite:PATH CONCURRENCY");
      System.exit(2);
    }
    Storage storage =
        args[0].startsWith("sqlite:")
            ? SqliteStorage.builder(Path.of(args[0].substring("sqlite:".length()))).build()
            : new InMemoryStorage();
    int concurrency = Integer.parseInt(args[1]);
    TaskFlow taskflow =
        TaskFlow.builder()
            .storage(storage)
            .worker(Noop.class, (a, ctx) -> null)
            .queue("default", q -> q.concurrency(concurrency))
            .build()
            .start();
    TaskFlowWeb web = TaskFlowWeb.create(taskflow, WebConfig.builder().port(0).build()).start();
    System.out.println(PORT_LINE + web.port());
    System.out.flush();
    // The parent closes our stdin to stop us (and we stop if the parent dies).
    while (System.in.read() >= 0) {
      // ignore input
    }
    web.close();
    taskflow.close();
  }
}
