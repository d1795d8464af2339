package dev.taskflow.dashboard;

import dev.taskflow.Job;
import dev.taskflow.JobQuery;
import dev.taskflow.JobState;
import dev.taskflow.Page;
import dev.taskflow.TaskFlowClient;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The filter of the Jobs page, read from query or form parameters. Every value is optional; a blank
 * one counts as absent. Times are {@code datetime-local} values read as UTC, or ISO instants.
 *
 * @param state one state, or null for every state but deleted
 * @param q the search box: a job id, a job type, or text searched in the args
 * @param error what could not be parsed (shown above the list), or null
 */
record JobFilter(
    JobState state,
    String type,
    String queue,
    String owner,
    String tag,
    Instant from,
    Instant to,
    String q,
    String cursor,
    String error) {

  static final int MAX_VALUE = 200;

  static JobFilter none() {
    return new JobFilter(null, null, null, null, null, null, null, null, null, null);
  }

  /** Reads the filter from the query string. */
  static JobFilter fromQuery(Context ctx) {
    return read(ctx::queryParam);
  }

  /** Reads the filter from a form body (bulk actions post the filter they were shown with). */
  static JobFilter fromForm(Context ctx) {
    return read(ctx::formParam);
  }

  private static JobFilter read(Function<String, String> param) {
    List<String> errors = new ArrayList<>();
    JobState state = null;
    String s = clean(param.apply("state"));
    if (s != null) {
      try {
        state = JobState.fromWire(s);
      } catch (IllegalArgumentException e) {
        errors.add("state must be one of " + JobState.wireNames() + ", was '" + s + "'");
      }
    }
    Instant from = time(clean(param.apply("from")), "from", errors);
    Instant to = time(clean(param.apply("to")), "to", errors);
    return new JobFilter(
        state,
        clean(param.apply("type")),
        clean(param.apply("queue")),
        clean(param.apply("owner")),
        clean(param.apply("tag")),
        from,
        to,
        clean(param.apply("q")),
        clean(param.apply("cursor")),
        errors.isEmpty() ? null : String.join("; ", errors));
  }

  private static String clean(String v) {
    if (v == null) return null;
    v = v.strip();
    if (v.isEmpty()) return null;
    return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v;
  }

  private static Instant time(String v, String name, List<String> errors) {
    if (v == null) return null;
    try {
      return v.endsWith("Z") || v.contains("+")
          ? Instant.parse(v)
          : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      errors.add(name + " must be a date and time such as 2026-01-31T09:30, was '" + v + "'");
      return null;
    }
  }

  /** The search box as a job id, when it is one. */
  UUID qAsId() {
    return dev.taskflow.web.Params.uuid(q);
  }

  /**
   * One page of the jobs this filter shows. A job id in the search box means that job only (when it
   * also passes the other filters), never "everything": an unknown id lists nothing, so a bulk
   * action on "every job matching" it changes nothing.
   */
  Page<Job> page(TaskFlowClient client, int limit) {
    UUID id = qAsId();
    if (id == null) return client.list(query(client.cluster().jobTypes(), limit));
    return new Page<Job>(client.get(id).filter(this::passes).stream().toList(), null);
  }

  /** Whether a job passes every filter but the search box (the id case of {@link #page}). */
  private boolean passes(Job j) {
    return (state == null ? j.state() != JobState.DELETED : j.state() == state)
        && (type == null || type.equals(j.type()))
        && (queue == null || queue.equals(j.queue()))
        && (owner == null || owner.equals(j.owner()))
        && (tag == null || j.tags().contains(tag))
        && (from == null || !j.createdAt().isBefore(from))
        && (to == null || j.createdAt().isBefore(to));
  }

  /** Whether the search box is a text search over args (the one filter no index serves). */
  boolean textSearch(Set<String> knownTypes) {
    return q != null && qAsId() == null && !(type == null && knownTypes.contains(q));
  }

  /**
   * The list query: the search box is a type filter when it names a registered type, else a text
   * search in args.
   */
  JobQuery query(Set<String> knownTypes, int limit) {
    String t = type;
    String text = null;
    if (q != null && qAsId() == null) {
      if (t == null && knownTypes.contains(q)) t = q;
      else text = q;
    }
    return new JobQuery(
        state == null ? Set.of() : Set.of(state),
        t,
        queue,
        owner,
        tag,
        limit,
        cursor,
        from,
        to,
        text);
  }

  JobFilter withCursor(String c) {
    return new JobFilter(state, type, queue, owner, tag, from, to, q, c, error);
  }

  JobFilter withState(JobState s) {
    return new JobFilter(s, type, queue, owner, tag, from, to, q, null, error);
  }

  /** Whether any filter besides the state is set. */
  boolean narrowed() {
    return type != null
        || queue != null
        || owner != null
        || tag != null
        || from != null
        || to != null
        || q != null;
  }

  /** {@code state=failed&type=...} without the cursor (empty when nothing is set). */
  String queryString() {
    StringBuilder sb = new StringBuilder();
    add(sb, "state", state == null ? null : state.wireName());
    add(sb, "type", type);
    add(sb, "queue", queue);
    add(sb, "owner", owner);
    add(sb, "tag", tag);
    add(sb, "from", from == null ? null : Fmt.inputTime(from));
    add(sb, "to", to == null ? null : Fmt.inputTime(to));
    add(sb, "q", q);
    return sb.toString();
  }

  /** {@link #queryString()} plus the cursor. */
  String queryStringWithCursor() {
    StringBuilder sb = new StringBuilder(queryString());
    add(sb, "cursor", cursor);
    return sb.toString();
  }

  private static void add(StringBuilder sb, String name, String value) {
    if (value == null) return;
    if (!sb.isEmpty()) sb.append('&');
    sb.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
