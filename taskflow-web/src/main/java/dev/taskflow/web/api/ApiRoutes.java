package dev.taskflow.web.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.WebPlugin;
import dev.taskflow.web.WebPluginContext;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The route table of the JSON API v1 (jobs, batches, remote workers, limits, recurring schedules,
 * queues, servers, stats, {@code /health}, {@code /metrics}), mounted by {@code TaskFlowWeb}
 * through the same {@link WebPluginContext#api} as a plugin's routes: every handler answers its
 * failures as problems and is counted for {@code /metrics}. The event streams are {@code
 * dev.taskflow.web.stream}'s.
 */
public final class ApiRoutes implements WebPlugin {
  private final IntSupplier sseStreams;

  /**
   * @param sseStreams the SSE streams open now, for {@code /metrics}
   */
  public ApiRoutes(IntSupplier sseStreams) {
    this.sseStreams = Objects.requireNonNull(sseStreams, "sseStreams");
  }

  @Override
  public String name() {
    return "api";
  }

  @Override
  public void mount(WebPluginContext r) {
    TaskFlowClient client = r.client();
    ApiJson json = r.json();
    RequestBodies bodies = r.bodies();
    JobRequestParser parser = new JobRequestParser(bodies.mapper(), client.cluster()::maxArgsBytes);
    JobRoutes jobs = new JobRoutes(client, json, bodies, parser);
    OpsRoutes ops = new OpsRoutes(client, json, r.throughput(), r.metrics(), sseStreams);
    WorkerRoutes workers = new WorkerRoutes(client.remoteWorkers(), json, bodies);
    LimitRoutes limits = new LimitRoutes(client, json, bodies);
    RecurringRoutes recurring = new RecurringRoutes(client, json, bodies, parser);
    ControlRoutes controls = new ControlRoutes(client, json, bodies);
    BatchRoutes batches = new BatchRoutes(client, json, bodies, parser);

    // method  path                          handler
    r.api(POST, "/jobs", jobs::enqueue);
    r.api(POST, "/jobs/batch", jobs::enqueueBatch);
    r.api(GET, "/jobs", jobs::list);
    r.api(GET, "/jobs/{id}", jobs::get);
    r.api(POST, "/jobs/{id}/cancel", jobs::cancel);
    r.api(POST, "/jobs/{id}/retry", jobs::retry);
    r.api(DELETE, "/jobs/{id}", jobs::delete);
    r.api(POST, "/workers/lease", workers::lease);
    r.api(POST, "/jobs/{id}/heartbeat", workers::heartbeat);
    r.api(POST, "/jobs/{id}/complete", workers::complete);
    r.api(POST, "/jobs/{id}/fail", workers::fail);
    r.api(POST, "/jobs/{id}/events", workers::event);
    r.api(POST, "/batches", batches::create);
    r.api(GET, "/batches/{id}", batches::get);
    r.api(GET, "/limits", limits::list);
    r.api(GET, "/limits/{name}", limits::get);
    r.api(PUT, "/limits/{name}", limits::put);
    r.api(DELETE, "/limits/{name}", limits::delete);
    r.api(GET, "/recurring", recurring::list);
    r.api(GET, "/recurring/{id}", recurring::get);
    r.api(PUT, "/recurring/{id}", recurring::put);
    r.api(DELETE, "/recurring/{id}", recurring::delete);
    r.api(POST, "/recurring/{id}/pause", recurring::pause);
    r.api(POST, "/recurring/{id}/resume", recurring::resume);
    r.api(POST, "/recurring/{id}/trigger", recurring::trigger);
    r.api(GET, "/queues", ops::queues);
    r.api(POST, "/queues/{name}/pause", ops::pause);
    r.api(POST, "/queues/{name}/resume", ops::resume);
    r.api(PATCH, "/queues/{name}", controls::patchQueue);
    r.api(GET, "/resources", controls::resources);
    r.api(GET, "/servers", ops::servers);
    r.api(GET, "/stats", ops::stats);
    r.route(GET, "/health", ops::health);
    r.route(GET, "/metrics", ops::metrics);
  }
}
