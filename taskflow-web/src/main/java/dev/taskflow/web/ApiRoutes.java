package dev.taskflow.web;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.websocket.WsHandlerType;

/**
 * The route table of HTTP API v1, added through the same {@link WebPluginContext#api} as a plugin's
 * routes: every handler runs inside {@link ApiRouter}, which answers failures as problems and
 * counts requests for {@code /metrics}.
 */
final class ApiRoutes {
  private final JobRoutes jobs;
  private final EventRoutes events;
  private final OpsRoutes ops;
  private final WorkerRoutes workers;
  private final WsRoutes ws;
  private final LimitRoutes limits;
  private final RecurringRoutes recurring;
  private final ControlRoutes controls;
  private final BatchRoutes batches;

  ApiRoutes(
      JobRoutes jobs,
      EventRoutes events,
      OpsRoutes ops,
      WorkerRoutes workers,
      WsRoutes ws,
      LimitRoutes limits,
      RecurringRoutes recurring,
      ControlRoutes controls,
      BatchRoutes batches) {
    this.jobs = jobs;
    this.workers = workers;
    this.ws = ws;
    this.limits = limits;
    this.recurring = recurring;
    this.controls = controls;
    this.batches = batches;
    this.events = events;
    this.ops = ops;
  }

  void register(WebPluginContext r) {
    // method  path                          handler
    r.api(POST, "/jobs", jobs::enqueue);
    r.api(POST, "/jobs/batch", jobs::enqueueBatch);
    r.api(GET, "/jobs", jobs::list);
    r.api(GET, "/jobs/{id}", jobs::get);
    r.api(POST, "/jobs/{id}/cancel", jobs::cancel);
    r.api(POST, "/jobs/{id}/retry", jobs::retry);
    r.api(DELETE, "/jobs/{id}", jobs::delete);
    r.api(GET, "/jobs/{id}/events", events::job);
    r.api(GET, "/events", events::all);
    r.api(POST, "/workers/lease", workers::lease);
    r.api(POST, "/jobs/{id}/heartbeat", workers::heartbeat);
    r.api(POST, "/jobs/{id}/complete", workers::complete);
    r.api(POST, "/jobs/{id}/fail", workers::fail);
    r.api(POST, "/jobs/{id}/events", workers::event);
    r.routes().addWsHandler(WsHandlerType.WEBSOCKET, TaskFlowWeb.API + "/ws", ws::configure);
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
