package dev.taskflow.web.api;

import dev.taskflow.EnqueueResult;
import dev.taskflow.InvalidJobException;
import dev.taskflow.Job;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.JobQuery;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.Page;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.web.ApiJson;
import dev.taskflow.web.FieldError;
import dev.taskflow.web.Params;
import dev.taskflow.web.Problem;
import dev.taskflow.web.ProblemMapper;
import dev.taskflow.web.RequestBodies;
import dev.taskflow.web.TaskFlowWeb;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The job routes: enqueue one or many, get, list, cancel, retry, delete. */
final class JobRoutes {
  private static final Set<String> LIST_PARAMS =
      Set.of("state", "type", "queue", "owner", "tag", "limit", "cursor");

  /**
   * Job lists served at once: a page of up to 500 jobs is CPU work (read, decode, encode), and
   * clients listing in a loop could otherwise take every core from /health, claims and progress.
   * Half the cores (at least one); others wait their turn.
   */
  private final Semaphore lists =
      new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);

  private final TaskFlowClient client;
  private final ApiJson json;
  private final RequestBodies bodies;
  private final JobRequestParser parser;

  JobRoutes(TaskFlowClient client, ApiJson json, RequestBodies bodies, JobRequestParser parser) {
    this.client = client;
    this.json = json;
    this.bodies = bodies;
    this.parser = parser;
  }

  /** 201 + Location + the job; 200 with {@code "duplicate": true} when a live job holds the key. */
  void enqueue(Context ctx) {
    JsonNode body = bodies.read(ctx);
    List<FieldError> errors = new ArrayList<>();
    JobRequest request = parser.parse(body, "", errors);
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    EnqueueResult result = client.enqueue(request);
    Job job = result.job();
    // no queuePosition here: counting the jobs ahead is O(queue) and made every enqueue pay it
    ObjectNode out = json.job(job);
    out.put("duplicate", result.duplicate());
    if (!result.duplicate()) {
      ctx.header("Location", TaskFlowWeb.API + "/jobs/" + job.id());
    }
    send(ctx, result.duplicate() ? 200 : 201, out);
  }

  /**
   * {@code {jobs: [...]}}: all or none, 201 {@code {ids: [...]}}; errors point at {@code
   * /jobs/3/...}.
   */
  void enqueueBatch(Context ctx) {
    JsonNode body = bodies.read(ctx);
    List<FieldError> errors = new ArrayList<>();
    if (!body.isObject()) {
      throw Problem.invalid(
          FieldError.at(
              "",
              "type",
              "the body must be {\"jobs\": [...]}, was " + JobRequestParser.kind(body)));
    }
    FieldError.unknownFields(body, "", Set.of("jobs"), "the body is {\"jobs\": [...]}", errors);
    JsonNode jobs = body.get("jobs");
    if (jobs == null || !jobs.isArray()) {
      errors.add(
          FieldError.at(
              "/jobs",
              jobs == null ? "required" : "type",
              "jobs must be an array of jobs"
                  + (jobs == null ? "" : ", was " + JobRequestParser.kind(jobs))));
      throw Problem.invalid(errors);
    }
    if (jobs.isEmpty()) {
      errors.add(FieldError.at("/jobs", "min_items", "jobs must hold at least one job"));
    }
    List<JobRequest> requests = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      requests.add(parser.parse(jobs.get(i), "/jobs/" + i, errors));
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    // The core names a bad job by its index (jobs/3/priority), as the body does.
    List<EnqueueResult> results = client.enqueueAll(requests);
    ObjectNode out = json.object();
    ArrayNode ids = out.putArray("ids");
    ArrayNode duplicates = out.putArray("duplicates");
    for (EnqueueResult r : results) {
      ids.add(r.job().id().toString());
      duplicates.add(r.duplicate());
    }
    send(ctx, 201, out);
  }

  /** The job with {@code queuePosition} while it is enqueued. */
  void get(Context ctx) {
    UUID id = Params.jobId(ctx);
    Job job = client.get(id).orElseThrow(() -> new JobNotFoundException(id));
    send(ctx, 200, withPosition(job));
  }

  /** {@code ?state=&type=&queue=&owner=&tag=&limit=&cursor=}: {@code {items, nextCursor}}. */
  void list(Context ctx) {
    Params.allowOnly(ctx, LIST_PARAMS);
    Set<JobState> states = EnumSet.noneOf(JobState.class);
    for (String s : Params.many(ctx, "state")) {
      try {
        states.add(JobState.fromWire(s));
      } catch (IllegalArgumentException e) {
        throw Problem.invalid(
            FieldError.param(
                "state",
                "enum",
                "state must be one of "
                    + JobState.wireNames()
                    + ", was '"
                    + ProblemMapper.shorten(s)
                    + "'"));
      }
    }
    JobQuery query =
        new JobQuery(
            states,
            Params.single(ctx, "type"),
            Params.single(ctx, "queue"),
            Params.single(ctx, "owner"),
            Params.single(ctx, "tag"),
            Params.intInRange(ctx, "limit", 1, JobQuery.MAX_LIMIT, JobQuery.DEFAULT_LIMIT),
            Params.single(ctx, "cursor"));
    if (!lists.tryAcquire()) {
      try { // queue fairly behind the lists being served; give up after a while
        if (!lists.tryAcquire(30, TimeUnit.SECONDS)) {
          throw Problem.onParameter(
              503,
              "busy",
              "Busy",
              "path",
              "busy",
              "too many job lists are being served; try again shortly",
              Map.of("Retry-After", "1"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to list jobs", e);
      }
    }
    try {
      Page<Job> page;
      try {
        page = client.list(query);
      } catch (InvalidJobException e) {
        throw ProblemMapper.asParameter(e, e.field());
      } catch (IllegalArgumentException e) {
        throw Problem.invalid(
            FieldError.param(
                "cursor",
                "invalid_cursor",
                "cursor is not one this server issued; pass the nextCursor of a previous page"));
      }
      send(ctx, 200, json.page(page));
    } finally {
      lists.release();
    }
  }

  void cancel(Context ctx) {
    change(ctx, client::cancel);
  }

  /**
   * Retries a failed or cancelled job. An optional body {@code {"priority": n}} (-100..100) moves
   * the job to that priority; without one (or with {@code {}}) it keeps its priority.
   */
  void retry(Context ctx) {
    Integer priority = retryPriority(ctx);
    if (priority == null) {
      change(ctx, client::retry);
    } else {
      change(ctx, id -> client.retry(id, priority));
    }
  }

  /** The priority of a retry's body, or null when there is no body or it names none. */
  private Integer retryPriority(Context ctx) {
    boolean noBody =
        ctx.req().getContentLengthLong() == 0
            || ctx.header("Content-Type") == null
                && ctx.req().getContentLengthLong() < 0
                && ctx.header("Transfer-Encoding") == null;
    if (noBody) return null;
    JsonNode body = bodies.read(ctx);
    if (!body.isObject()) {
      throw Problem.invalid(
          FieldError.at(
              "",
              "type",
              "the body must be {\"priority\": n} or empty, was " + JobRequestParser.kind(body)));
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError.unknownFields(
        body, "", Set.of("priority"), "a retry's body is {\"priority\": n}", errors);
    JsonNode p = body.get("priority");
    Integer priority = null;
    if (p != null && !p.isNull()) {
      if (!p.isNumber()) {
        errors.add(
            FieldError.at(
                "/priority",
                "type",
                "priority must be an integer, was " + JobRequestParser.kind(p)));
      } else if (!p.isIntegralNumber()) {
        errors.add(FieldError.at("/priority", "integer", "priority must be a whole number"));
      } else if (!p.canConvertToInt()) {
        errors.add(FieldError.at("/priority", "range", "priority must be -100..100"));
      } else {
        priority = p.intValue();
      }
    }
    if (!errors.isEmpty()) throw Problem.invalid(errors);
    return priority;
  }

  void delete(Context ctx) {
    change(ctx, client::delete);
  }

  /** 200 + the job after the change; 404 unknown; 409 when its state forbids the change. */
  private void change(Context ctx, Function<UUID, Job> action) {
    UUID id = Params.jobId(ctx);
    send(ctx, 200, withPosition(action.apply(id)));
  }

  private ObjectNode withPosition(Job job) {
    return json.job(
        job,
        job.state() == JobState.ENQUEUED
            ? client.queues().position(job.id())
            : OptionalLong.empty());
  }

  private void send(Context ctx, int status, JsonNode body) {
    json.send(ctx, status, body);
  }
}
