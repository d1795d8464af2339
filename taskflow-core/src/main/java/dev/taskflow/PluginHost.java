package dev.taskflow;

import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The installed plugins and the context each of them gets. */
final class PluginHost {
  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

  private final List<TaskFlowPlugin> plugins;
  private final List<TaskFlowPlugin> started = new ArrayList<>();
  private volatile TaskFlow taskflow;
  private volatile boolean installing;

  PluginHost(List<TaskFlowPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  /** Lets every plugin register its workers and listeners on the builder that is building. */
  void install(TaskFlowBuilder builder) {
    installing = true;
    try {
      for (TaskFlowPlugin p : plugins) p.install(new Context(builder));
    } finally {
      installing = false;
    }
  }

  void bind(TaskFlow built) {
    this.taskflow = built;
    for (TaskFlowPlugin p : plugins) p.built();
  }

  synchronized void start() {
    for (TaskFlowPlugin p : plugins) {
      if (started.contains(p)) continue;
      p.start();
      started.add(p);
      log.info("plugin {} started", p.name());
    }
  }

  /** Stops the started plugins in reverse order; one failing does not keep the others running. */
  synchronized void stop() {
    for (int i = started.size() - 1; i >= 0; i--) {
      TaskFlowPlugin p = started.get(i);
      try {
        p.stop();
      } catch (RuntimeException e) {
        log.warn("plugin {} failed to stop cleanly", p.name(), e);
      }
    }
    started.clear();
  }

  private final class Context implements PluginContext {
    private final TaskFlowBuilder builder;

    Context(TaskFlowBuilder builder) {
      this.builder = builder;
    }

    private void duringInstall(String what) {
      if (!installing) {
        throw new IllegalStateException(what + " is only possible while the plugin is installed");
      }
    }

    private TaskFlow built() {
      TaskFlow tf = taskflow;
      if (tf == null) {
        throw new IllegalStateException("the TaskFlow is still being built");
      }
      return tf;
    }

    @Override
    public <A> void worker(String type, Class<A> argsClass, Worker<A> worker) {
      duringInstall("registering a worker");
      builder.worker(type, argsClass, worker);
    }

    @Override
    public void listener(JobListener listener) {
      duringInstall("registering a listener");
      builder.listener(listener);
    }

    @Override
    public TaskFlowClient client() {
      return built();
    }

    @Override
    public Storage storage() {
      return builder.storage;
    }

    @Override
    public Clock clock() {
      return builder.clock;
    }

    @Override
    public String serverId() {
      return built().serverId();
    }

    @Override
    public EventCursor eventCursor(String name) {
      return built().eventCursor(name);
    }

    @Override
    public boolean tryLead(String name, Duration ttl) {
      return built().tryLead(name, ttl);
    }

    @Override
    public void resign(String name) {
      built().resign(name);
    }

    @Override
    public List<NewJob> prepare(List<JobRequest> requests) {
      return built().prepare(Objects.requireNonNull(requests, "requests"));
    }

    @Override
    public void wakeQueue(String queue) {
      built().wakeQueue(queue);
    }
  }
}
