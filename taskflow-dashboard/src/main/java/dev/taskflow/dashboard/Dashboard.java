package dev.taskflow.dashboard;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.taskflow.EventFilter;
import dev.taskflow.IllegalTransitionException;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobNotFoundException;
import dev.taskflow.StorageException;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.dashboard.Views.Layout;
import dev.taskflow.web.Params;
import dev.taskflow.web.StreamLimits;
import dev.taskflow.web.ThroughputTracker;
import dev.taskflow.web.WebConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: server-rendered pages (JTE), kept current over SSE with htmx, talking to
 * TaskFlow only through {@link TaskFlowClient}. {@link DashboardPlugin} mounts it on {@code
 * TaskFlowWeb}; {@link #register} on an application's own Javalin. See {@code docs/dashboard.md}
 * for the security model.
 *
 * <p>Every response says how long its server side took in a {@code Server-Timing: render;dur=ms}
 * header, so benchmarks can time each page without a browser.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  /** The largest form a dashboard POST may send (Jetty's own form limit: 200,000 bytes). */
  static final int MAX_FORM_BYTES = 200_000;

  /** Refused POSTs are a client's doing: one line a minute at most, however many come. */
  private final dev.taskflow.web.RateLimitedLog refusals =
      new dev.taskflow.web.RateLimitedLog(log, 60_000);

  static final Duration THROTTLE = Duration.ofMillis(500);

  /** How often a live text search (a scan of args) re-runs at most, however busy the queue. */
  static final Duration SEARCH_THROTTLE = Duration.ofSeconds(5);

  static final Duration TICK = Duration.ofSeconds(2);
  static final Duration PING = Duration.ofSeconds(15);

  private final TaskFlowClient client;
  private final String base;
  private final DashboardSecurity security;
  private final Pages pages;
  private final Bulk bulk;
  private final Templates templates = new Templates();
  private final Assets assets = new Assets();
  private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
  private final StreamLimits limits;

  /**
   * A dashboard with its own bound on live streams ({@link WebConfig#DEFAULT_MAX_EVENT_STREAMS}).
   *
   * @param basePath where the dashboard is mounted: "" for the root, else e.g. {@code /taskflow}
   * @param readOnly show everything, change nothing (every POST gets 403)
   */
  public Dashboard(
      TaskFlowClient client, ThroughputTracker throughput, String basePath, boolean readOnly) {
    this(client, throughput, basePath, readOnly, new StreamLimits(WebConfig.defaults()));
  }

  /** A dashboard whose live streams count against {@code limits}, shared with the API's streams. */
  public Dashboard(
      TaskFlowClient client,
      ThroughputTracker throughput,
      String basePath,
      boolean readOnly,
      StreamLimits limits) {
    this.limits = limits;
    checkBasePath(basePath);
    this.client = client;
    this.base = basePath;
    this.security = new DashboardSecurity(readOnly, basePath);
    this.pages = new Pages(client, throughput, Clock.systemUTC());
    this.bulk = new Bulk(client);
  }

  /** Adds the dashboard's routes to a Javalin being configured. */
  public void register(RoutesConfig r) {
    // method path                          handler
    route(r, GET, base.isEmpty() ? "/" : base, this::overview);
    route(r, GET, base + "/queues", this::queues);
    route(r, GET, base + "/jobs", this::jobs);
    route(r, GET, base + "/jobs/{id}", this::job);
    route(r, GET, base + "/servers", this::servers);
    route(r, GET, base + "/batches/{id}", this::batch);
    route(r, GET, base + "/recurring", this::recurring);
    route(r, GET, base + "/live/{view}", this::live);
    route(r, GET, base + "/assets/<name>", ctx -> assets.serve(ctx, ctx.pathParam("name")));
    route(r, POST, base + "/jobs/bulk", this::bulk);
    route(r, POST, base + "/jobs/{id}/{action}", this::jobAction);
    route(r, POST, base + "/queues/{name}/{action}", this::queueAction);
    route(r, POST, base + "/recurring/{id}/{action}", this::recurringAction);
  }

  // ---- pages ----

  private void overview(Context ctx) {
    html(ctx, "overview", pages.overview(layout(ctx, "Overview", "overview", "overview")));
  }

  private void queues(Context ctx) {
    html(ctx, "queues", pages.queues(layout(ctx, "Queues", "queues", "queues")));
  }

  private void recurring(Context ctx) {
    html(ctx, "recurring", RecurringView.of(layout(ctx, "Recurring", "recurring", null), client));
  }

  private void servers(Context ctx) {
    html(ctx, "servers", pages.servers(layout(ctx, "Servers", "servers", "servers")));
  }

  private void jobs(Context ctx) {
    JobFilter f = JobFilter.fromQuery(ctx);
    UUID id = f.qAsId();
    if (id != null && client.get(id).isPresent()) {
      ctx.redirect(base + "/jobs/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    String qs = f.queryStringWithCursor();
    Layout page = layout(ctx, "Jobs", "jobs", "jobs" + (qs.isEmpty() ? "" : "?" + qs));
    var live = pages.jobs(page, f);
    List<String> types = new ArrayList<>(new TreeSet<>(client.cluster().jobTypes()));
    html(ctx, "jobs", new Views.JobsPage(live, types, queueNames()));
  }

  private void job(Context ctx) {
    UUID id = jobId(ctx);
    Layout page = layout(ctx, "Job " + Fmt.shortId(id), "jobs", "job?id=" + id);
    var v = pages.job(page, id).orElseThrow(() -> new JobNotFoundException(id));
    html(ctx, "job", v);
  }

  private void batch(Context ctx) {
    String raw = ctx.pathParam("id");
    UUID id = Params.uuid(raw);
    Layout page = layout(ctx, "Batch " + (id == null ? "" : Fmt.shortId(id)), "jobs", null);
    var v = id == null ? java.util.Optional.<Views.BatchPage>empty() : pages.batch(page, id);
    if (v.isEmpty()) {
      ctx.status(404);
      html(ctx, "problem", new Views.Problem(page, 404, "No batch has this id."));
      return;
    }
    html(ctx, "batch", v.get());
  }

  /** {@code GET /live/{view}}: the SSE stream of one page's fragments. */
  private void live(Context ctx) {
    String view = ctx.pathParam("view");
    Layout page = layout(ctx, "", "", null);
    EventFilter filter;
    java.util.function.Supplier<Map<String, String>> render;
    Duration tick = null;
    Duration throttle = THROTTLE;
    LiveStream[] self = new LiveStream[1]; // made below; renders run only once it is
    switch (view) {
      case "overview" -> {
        filter = EventFilter.ALL;
        tick = TICK;
        render = () -> Map.of("overview", templates.render("overview_live", pages.overview(page)));
      }
      case "queues" -> {
        filter = EventFilter.ALL;
        tick = TICK;
        render = () -> Map.of("queues", templates.render("queues_live", pages.queues(page)));
      }
      case "servers" -> {
        filter = null;
        tick = TICK;
        render = () -> Map.of("servers", templates.render("servers_live", pages.servers(page)));
      }
      case "jobs" -> {
        JobFilter f = JobFilter.fromQuery(ctx);
        filter = new EventFilter(null, Set.of(), f.type(), f.queue(), f.owner());
        render =
            () ->
                Map.of(
                    "jobs",
                    templates.render("jobs_live", pages.jobs(page, f, self[0].mustShowSince())));
        if (f.textSearch(client.cluster().jobTypes())) throttle = SEARCH_THROTTLE;
      }
      case "job" -> {
        UUID id = parseId(ctx.queryParam("id"));
        if (client.get(id).isEmpty()) { // no stream (and no slot) for a job that is not there
          problem(ctx, 404, "no job with that id");
          return;
        }
        filter = EventFilter.forJob(id);
        render =
            () -> {
              Map<String, String> out = new LinkedHashMap<>();
              pages.job(page, id).ifPresent(v -> out.put("job", templates.render("job_live", v)));
              return out;
            };
      }
      default -> {
        problem(ctx, 404, "no live view of that name; use overview, queues, servers, jobs or job");
        return;
      }
    }
    if (!limits.tryOpen()) {
      ctx.header("Retry-After", "5");
      problem(ctx, 503, "this server has too many live streams open; try again shortly");
      return;
    }
    self[0] =
        new LiveStream(
            () -> {
              streams.remove(self[0]);
              limits.closed();
            });
    streams.add(self[0]);
    self[0].run(ctx, client, filter, render, throttle, tick, PING);
  }

  // ---- actions ----

  private void jobAction(Context ctx) {
    if (refused(ctx)) return;
    UUID id = jobId(ctx);
    Bulk.Action action = Bulk.Action.parse(ctx.pathParam("action"));
    if (action == null) {
      problem(ctx, 404, "no such job action; use retry, cancel or delete");
      return;
    }
    switch (action) {
      case RETRY -> client.retry(id);
      case CANCEL -> client.cancel(id);
      case DELETE -> client.delete(id);
    }
    see(ctx, base + "/jobs/" + id + "?done=" + action.done);
  }

  private void queueAction(Context ctx) {
    if (refused(ctx)) return;
    String name = ctx.pathParam("name");
    switch (ctx.pathParam("action")) {
      case "pause" -> client.queues().pause(name);
      case "resume" -> client.queues().resume(name);
      default -> {
        problem(ctx, 404, "no such queue action; use pause or resume");
        return;
      }
    }
    see(ctx, base + "/queues?done=" + ctx.pathParam("action") + "d");
  }

  private void recurringAction(Context ctx) {
    if (refused(ctx)) return;
    String id = ctx.pathParam("id");
    String done;
    try {
      switch (ctx.pathParam("action")) {
        case "pause" -> client.recurring().pause(id);
        case "resume" -> client.recurring().resume(id);
        case "trigger" -> client.recurring().trigger(id);
        default -> {
          problem(ctx, 404, "no such schedule action; use pause, resume or trigger");
          return;
        }
      }
      done =
          "schedule-"
              + ctx.pathParam("action")
              + (ctx.pathParam("action").endsWith("e") ? "d" : "ed");
    } catch (dev.taskflow.RecurringNotFoundException e) {
      problem(ctx, 404, "no recurring schedule with that id");
      return;
    }
    see(ctx, base + "/recurring?done=" + done);
  }

  private void bulk(Context ctx) {
    if (refused(ctx)) return;
    Bulk.Action action = Bulk.Action.parse(ctx.formParam("action"));
    if (action == null) {
      problem(ctx, 400, "action must be retry, cancel or delete");
      return;
    }
    JobFilter f = JobFilter.fromForm(ctx);
    if (f.error() != null) {
      problem(ctx, 400, f.error());
      return;
    }
    Bulk.Outcome outcome;
    if ("matching".equals(ctx.formParam("scope"))) {
      outcome = bulk.applyMatching(action, f.withCursor(null));
    } else {
      List<UUID> ids = new ArrayList<>();
      for (String s : ctx.formParams("id")) ids.add(parseId(s));
      if (ids.isEmpty()) {
        see(ctx, base + "/jobs?" + f.queryString() + and(f) + "done=none");
        return;
      }
      outcome = bulk.apply(action, ids);
    }
    log.info(
        "taskflow-dashboard: bulk {} {} job(s), skipped {}{}",
        action.done,
        outcome.changed(),
        outcome.skipped(),
        outcome.more() ? ", more match" : "");
    see(
        ctx,
        base
            + "/jobs?"
            + f.queryString()
            + and(f)
            + "done="
            + action.done
            + "&n="
            + outcome.changed()
            + "&skipped="
            + outcome.skipped()
            + (outcome.more() ? "&more=1" : ""));
  }

  private static String and(JobFilter f) {
    return f.queryString().isEmpty() ? "" : "&";
  }

  private boolean refused(Context ctx) {
    String why = security.refusal(ctx);
    if (why == null) return false;
    refusals.info(
        "taskflow-dashboard: refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), why);
    problem(ctx, 403, why);
    return true;
  }

  // ---- plumbing ----

  private void route(RoutesConfig r, HandlerType method, String path, Handler handler) {
    r.addHttpHandler(method, path, ctx -> serve(ctx, handler));
  }

  private void serve(Context ctx, Handler handler) {
    long start = System.nanoTime();
    security.headers(ctx);
    try {
      long length = ctx.req().getContentLengthLong();
      if (length > MAX_FORM_BYTES) { // the servlet would drop the form and leave half an id
        problem(
            ctx,
            413,
            "the form is "
                + length
                + " bytes; the limit is "
                + MAX_FORM_BYTES
                + ": select fewer jobs, or act on every job matching the filter");
        return;
      }
      handler.handle(ctx);
    } catch (JobNotFoundException e) {
      problem(ctx, 404, e.getMessage() == null ? "not found" : e.getMessage());
    } catch (IllegalTransitionException e) {
      problem(ctx, 409, e.getMessage());
    } catch (InvalidJobException | IllegalArgumentException e) {
      problem(ctx, 400, e.getMessage());
    } catch (StorageException e) {
      log.warn(
          "taskflow-dashboard: {} {} failed, the store is unavailable",
          ctx.method(),
          ctx.path(),
          e);
      problem(ctx, 503, "the job store is unavailable; try again shortly");
    } catch (Exception e) {
      log.error("taskflow-dashboard: {} {} failed", ctx.method(), ctx.path(), e);
      problem(ctx, 500, "the dashboard failed to render this page; see the server log");
    } finally {
      double ms = (System.nanoTime() - start) / 1e6;
      if (!ctx.res().isCommitted()) {
        ctx.header("Server-Timing", String.format(Locale.ROOT, "render;dur=%.1f", ms));
      }
    }
  }

  private Layout layout(Context ctx, String title, String nav, String live) {
    return new Layout(
        title,
        nav,
        base,
        security.token(ctx),
        security.readOnly(),
        live == null ? null : base + "/live/" + live,
        notice(ctx));
  }

  /** The notice after an action, built from known codes and numbers only (never echoed text). */
  private static String notice(Context ctx) {
    String done = ctx.queryParam("done");
    if (done == null) return null;
    String n = digits(ctx.queryParam("n"));
    String skipped = digits(ctx.queryParam("skipped"));
    String what =
        switch (done) {
          case "retried", "cancelled", "deleted" -> done;
          case "paused" -> "Queue paused.";
          case "resumed" -> "Queue resumed.";
          case "schedule-paused" -> "Schedule paused.";
          case "schedule-resumed" -> "Schedule resumed.";
          case "schedule-triggered" -> "Schedule triggered: its job is enqueued.";
          case "none" -> "Select at least one job first.";
          default -> null;
        };
    if (what == null || what.endsWith(".")) return what;
    if (n == null) return "Job " + what + ".";
    String msg = Character.toUpperCase(what.charAt(0)) + what.substring(1) + " " + n + " job(s)";
    if (skipped != null && !skipped.equals("0")) {
      msg += "; skipped " + skipped + " whose state does not allow it";
    }
    if (ctx.queryParam("more") != null) {
      msg += "; more jobs match (at most " + Bulk.MAX_MATCHING + " per run): run it again";
    }
    return msg + ".";
  }

  private static String digits(String s) {
    if (s == null || s.isEmpty() || s.length() > 9) return null;
    for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return null;
    return s;
  }

  private void html(Context ctx, String template, Object model) {
    String body = templates.render(template, model);
    ctx.contentType("text/html; charset=utf-8");
    ctx.header("Cache-Control", "no-store");
    ctx.result(body);
  }

  private void problem(Context ctx, int status, String message) {
    ctx.status(status);
    Layout page = new Layout("Error " + status, "", base, "", security.readOnly(), null, null);
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(templates.render("problem", new Views.Problem(page, status, message)));
  }

  private static void see(Context ctx, String location) {
    ctx.redirect(location, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private static UUID jobId(Context ctx) {
    return parseId(ctx.pathParam("id"));
  }

  private static UUID parseId(String s) {
    UUID id = Params.uuid(s);
    if (id != null) return id;
    throw new IllegalArgumentException(
        "a job id is a UUID such as 0190f3a2-7b1c-7def-8a12-3456789abcde");
  }

  private List<String> queueNames() {
    Set<String> names = new TreeSet<>();
    client.queues().list().forEach(q -> names.add(q.name()));
    client.cluster().servers().forEach(s -> names.addAll(s.queues().keySet()));
    return List.copyOf(names);
  }

  /** Refuses a base path other than {@code ""} or {@code /x} (no trailing slash). */
  static void checkBasePath(String basePath) {
    if (basePath == null
        || (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/")))) {
      throw new IllegalArgumentException(
          "dashboard base path must be \"\" or start with / and not end with one, was '"
              + basePath
              + "'");
    }
  }

  /** SSE streams open now. */
  public int openStreams() {
    return streams.size();
  }

  /** Ends every open live stream (server shutdown). */
  @Override
  public void close() {
    for (LiveStream s : List.copyOf(streams)) s.close();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
