/**
 * TaskFlow's HTTP API v1 on Javalin 7: {@link dev.taskflow.web.TaskFlowWeb} serves it, {@link
 * dev.taskflow.web.WebConfig} configures it, {@link dev.taskflow.web.ThroughputTracker} counts
 * recent throughput for {@code /stats} and the dashboard.
 *
 * <h2>Layout</h2>
 *
 * <ul>
 *   <li>{@code dev.taskflow.web}: the server and the shared HTTP plumbing, public for plugins:
 *       {@link dev.taskflow.web.WebPlugin} and {@link dev.taskflow.web.WebPluginContext} to add
 *       routes, {@link dev.taskflow.web.Problem}, {@link dev.taskflow.web.FieldError} and {@link
 *       dev.taskflow.web.ProblemMapper} for RFC 9457 answers, {@link dev.taskflow.web.Params} and
 *       {@link dev.taskflow.web.RequestBodies} to read requests, {@link dev.taskflow.web.ApiJson}
 *       to answer, {@link dev.taskflow.web.BrowserGuard}, {@link dev.taskflow.web.StreamLimits} and
 *       {@link dev.taskflow.web.RateLimitedLog}.
 *   <li>{@code dev.taskflow.web.api}: the JSON routes (jobs, batches, remote workers, limits,
 *       recurring schedules, queues, stats, health, metrics).
 *   <li>{@code dev.taskflow.web.stream}: SSE and the WebSocket.
 *   <li>Webhooks ({@code taskflow-webhooks}) and the dashboard ({@code taskflow-dashboard}) are
 *       plugins in modules of their own; this module knows neither.
 * </ul>
 *
 * <h2>Contract decisions</h2>
 *
 * <ul>
 *   <li>Errors are RFC 9457 {@code application/problem+json}: {@code type} ({@code
 *       urn:taskflow:problem:<slug>}), {@code title}, {@code status}, {@code detail}, {@code
 *       instance} (the request path) and {@code errors}. Each error has a {@code code}, a {@code
 *       message} and either a {@code pointer} (RFC 6901, into the request body: {@code
 *       /jobs/3/priority}) or a {@code parameter} (a path or query parameter, or a header: {@code
 *       limit}, {@code id}, {@code Content-Type}, {@code Last-Event-ID}).
 *   <li>400 only for text that is not JSON (including trailing content and an empty body). JSON
 *       that parses but breaks a limit — nesting deeper than {@link
 *       dev.taskflow.web.WebConfig#maxJsonDepth()}, a number longer than 1000 characters, a
 *       duplicate key, a NUL character in any string or key — is 422, like any other invalid value.
 *   <li>A malformed job id in a path answers 404 (no job can have it), with a detail saying ids are
 *       UUIDs.
 *   <li>Fields given as JSON {@code null} count as absent. Unknown body fields and unknown query
 *       parameters are refused (422), never ignored.
 *   <li>One event filter syntax for SSE ({@code GET /events}) and the WebSocket: {@code type}
 *       filters by event type (repeatable or comma-separated, {@code job.*} for a prefix; {@code
 *       types} is an alias); {@code jobId}, {@code jobType}, {@code queue} and {@code owner} by the
 *       job.
 *   <li>{@code GET /jobs/{id}/events} answers 204 when the job has finished and nothing is left
 *       after {@code Last-Event-ID}, which stops an EventSource from reconnecting.
 *   <li>A slow SSE client whose buffer ({@link dev.taskflow.web.WebConfig#sseBufferEvents()})
 *       overflows gets what was buffered, a comment, and the end of the stream; it resumes with
 *       {@code Last-Event-ID}.
 * </ul>
 */
package dev.taskflow.web;
