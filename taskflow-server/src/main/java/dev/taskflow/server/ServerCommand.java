package dev.taskflow.server;

import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.dashboard.DashboardPlugin;
import dev.taskflow.server.demo.DemoJobs;
import dev.taskflow.web.TaskFlowWeb;
import dev.taskflow.web.WebConfig;
import dev.taskflow.web.WebPlugin;
import dev.taskflow.webhooks.WebhookDelivery;
import dev.taskflow.webhooks.WebhookPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code taskflow server}: runs TaskFlow and its HTTP API until SIGTERM or Ctrl+C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a TaskFlow server: the engine on a store, and the HTTP API v1.",
      EngineOptions.STOPS_GRACEFULLY
    },
    footer = {
      "",
      "Examples:",
      "  taskflow server --demo",
      "  taskflow server --demo --store memory --port 9090",
      "  taskflow server --store sqlite:jobs.db --queue default=20 --queue emails=2",
      "  taskflow server --store postgres://app@db.example:5432/app?schema=jobs"
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Spec CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(
      names = "--store",
      paramLabel = StoreSpec.LABEL,
      defaultValue = "sqlite:taskflow.db",
      description =
          "Where jobs live (default: ${DEFAULT-VALUE}, in the current directory). Many servers"
              + " and workers may share one PostgreSQL schema.")
  StoreSpec store;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = WebConfig.DEFAULT_HOST,
      description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--allowed-host",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "${env:TASKFLOW_ALLOWED_HOSTS}",
      description =
          "A host name clients use to reach this server, besides localhost, the loopback addresses"
              + " and the --host address (repeatable or comma-separated; default: $TASKFLOW_ALLOWED_HOSTS)."
              + " Requests naming any other Host are refused with 421 (DNS rebinding); put a reverse"
              + " proxy's public name here. See docs/security.md.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + WebConfig.DEFAULT_PORT,
      description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      defaultValue = "" + WebConfig.DEFAULT_MAX_BODY_BYTES,
      description = "Largest HTTP request body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--max-args-bytes",
      paramLabel = "N",
      defaultValue = "" + TaskFlowBuilder.DEFAULT_MAX_ARGS_BYTES,
      description = "Largest args of one job, as JSON (default: ${DEFAULT-VALUE}).")
  int maxArgsBytes;

  @Option(
      names = "--read-only",
      description =
          "Serve the dashboard read-only: no action buttons, every dashboard POST is refused.")
  boolean readOnly;

  @Option(
      names = "--allow-private-webhook-targets",
      description =
          "Let webhooks target loopback, private, link-local and other non-public addresses"
              + " (off by default: an SSRF guard; see docs/webhooks.md).")
  boolean allowPrivateWebhookTargets;

  @Option(
      names = "--allow-http-webhooks",
      description = "Let webhooks use plain http:// URLs (off by default: https only).")
  boolean allowHttpWebhooks;

  @Option(
      names = "--webhook-timeout",
      paramLabel = "DURATION",
      description =
          "How long a webhook receiver may take to answer, from connecting to the last byte (1 ms..5 min;"
              + " default PT15S); a slower answer fails the attempt, which is retried.")
  Duration webhookTimeout = WebhookDelivery.DEFAULT_TIMEOUT;

  @Option(names = "--no-dashboard", description = "Serve the HTTP API without the dashboard.")
  boolean noDashboard;

  @Override
  public Integer call() throws InterruptedException {
    Running running;
    try {
      running = start();
    } catch (StartupException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    EngineOptions.runUntilSignalled(
        log,
        () -> {
          out.println(running.banner());
          out.flush();
        },
        running::close);
    return 0;
  }

  /**
   * Builds and starts TaskFlow and its HTTP API from the options.
   *
   * @throws ParameterException when an option is out of range (exit code 2)
   * @throws StartupException when the store cannot be opened or the port cannot be bound
   */
  Running start() throws StartupException {
    WebConfig webConfig;
    TaskFlowBuilder builder;
    WebhookDelivery webhooks;
    List<WebPlugin> webPlugins = new ArrayList<>();
    try {
      webConfig =
          WebConfig.builder()
              .host(host)
              .allowedHosts(allowedHosts == null ? List.of() : allowedHosts)
              .port(port)
              .maxBodyBytes(maxBodyBytes)
              .build();
      builder = engine.builder().maxArgsBytes(maxArgsBytes);
      // One policy for registering webhooks over the API and for delivering to them.
      webhooks =
          new WebhookDelivery(
              WebhookDelivery.Options.defaults()
                  .withPolicy(
                      WebhookPolicy.defaults()
                          .withAllowPrivateTargets(allowPrivateWebhookTargets)
                          .withAllowHttp(allowHttpWebhooks))
                  .withTimeout(webhookTimeout));
      builder.plugin(webhooks);
      webPlugins.add(webhooks);
      if (!noDashboard) webPlugins.add(DashboardPlugin.defaults().withReadOnly(readOnly));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }

    TaskFlow taskflow = engine.start(builder, store);
    TaskFlowWeb web = TaskFlowWeb.create(taskflow, webConfig, webPlugins.toArray(WebPlugin[]::new));
    try {
      web.start();
    } catch (RuntimeException e) {
      web.close();
      webhooks.close();
      taskflow.close();
      throw new StartupException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + rootMessage(e)
              + "); is another server running there? Pick another port with --port",
          e);
    }
    if (!engine.demo) {
      log.warn(
          "no job types are registered, so every enqueue is refused; run with --demo for the demo types");
    }
    return new Running(taskflow, web, webhooks, store, engine.demo);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** A started server: TaskFlow and its HTTP API. Close it to stop both, gracefully. */
  record Running(
      TaskFlow taskflow, TaskFlowWeb web, WebhookDelivery webhooks, StoreSpec store, boolean demo)
      implements AutoCloseable {
    int port() {
      return web.port();
    }

    /** The URL to reach it, with loopback in place of a wildcard host. */
    String url() {
      String h = web.config().host();
      if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) h = "127.0.0.1";
      if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
      return "http://" + h + ":" + port();
    }

    String banner() {
      String url = url();
      String nl = System.lineSeparator();
      StringBuilder sb = new StringBuilder();
      sb.append("TaskFlow is running at ")
          .append(url)
          .append(" (store: ")
          .append(store)
          .append(")")
          .append(nl);
      if (demo) {
        sb.append("Demo job types: ").append(String.join(", ", DemoJobs.TYPES)).append(nl);
        sb.append("Try:").append(nl);
        sb.append("  curl -s -X POST ")
            .append(url)
            .append("/api/v1/jobs -H 'Content-Type: application/json' \\")
            .append(nl)
            .append(
                "       -d '{\"type\": \"demo.sleep\", \"args\": {\"ms\": 5000, \"steps\": 5}}'")
            .append(nl);
        sb.append("  curl -s ").append(url).append("/api/v1/jobs/JOB_ID").append(nl);
        sb.append("  curl -N ").append(url).append("/api/v1/jobs/JOB_ID/events").append(nl);
      }
      sb.append("Stop with Ctrl+C.");
      return sb.toString();
    }

    /**
     * Stops accepting requests and the webhook fan-out (giving its leadership up), then stops the
     * engine gracefully and closes the store.
     */
    @Override
    public void close() {
      try {
        web.close();
        webhooks.close();
      } finally {
        taskflow.close();
      }
    }
  }
}
