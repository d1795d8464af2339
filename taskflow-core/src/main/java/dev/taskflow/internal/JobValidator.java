package dev.taskflow.internal;

import dev.taskflow.EnqueueOptions;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobFlow;
import dev.taskflow.JobProgress;
import dev.taskflow.JobRequest;
import dev.taskflow.Names;
import dev.taskflow.ParentFailure;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks a {@link JobRequest} against every rule and turns it into a {@link NewJob}. The one place
 * the rules live: the Java API and the HTTP API both come through here, so they refuse the same
 * things with the same field names and codes.
 */
public final class JobValidator {
  public static final Pattern NAME = Names.PATTERN;
  public static final int MAX_TYPE_LENGTH = Names.MAX_TYPE_LENGTH;
  public static final int MAX_QUEUE_LENGTH = Names.MAX_QUEUE_LENGTH;
  public static final int MIN_PRIORITY = -100;
  public static final int MAX_PRIORITY = 100;
  public static final int MAX_ATTEMPTS = 100;
  public static final int MAX_TEXT_LENGTH = 255;
  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG_LENGTH = 64;

  /** The largest result, as JSON characters: it is stored with the job and sent with it. */
  public static final int MAX_RESULT_CHARS = 1024 * 1024;

  /** The largest custom event's data, as JSON characters: every subscriber is sent all of it. */
  public static final int MAX_EVENT_DATA_CHARS = 64 * 1024;

  /** The longest progress message, in characters: it is sent with every progress event. */
  public static final int MAX_PROGRESS_MESSAGE = dev.taskflow.JobProgress.MAX_MESSAGE_LENGTH;

  public static final Duration MAX_AHEAD = Duration.ofDays(365);
  public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  public static final int MAX_PARENTS = 100;

  /**
   * The earliest {@code runAt} or {@code startBy} accepted: a past instant means "now", but one
   * before the epoch is a mistake, and instants near {@link Instant#MIN} overflow a store's
   * millisecond column.
   */
  public static final Instant MIN_INSTANT = Instant.EPOCH;

  /** Event types TaskFlow emits itself; a handler or remote worker may not emit them. */
  public static final List<String> RESERVED_EVENT_PREFIXES = List.of("job.", "batch.", "webhook.");

  public static final int MAX_EVENT_TYPE_LENGTH = 128;

  /**
   * The type prefix of TaskFlow's own jobs (webhook deliveries), whose handlers record events under
   * the reserved prefixes ({@code webhook.attempt}).
   */
  public static final String INTERNAL_TYPE_PREFIX =
      dev.taskflow.TaskFlowPlugin.INTERNAL_TYPE_PREFIX;

  /** The defaults of one registered type. */
  public record TypeDefaults(int maxAttempts, Duration timeout) {}

  private final Clock clock;
  private final int maxArgsBytes;
  private final Function<String, TypeDefaults> typeDefaults;
  private final Storage store;

  /**
   * @param typeDefaults the defaults of a type, or null when the type is not accepted
   * @param store the store the jobs go to: a job with {@code dependsOn} is refused with {@link
   *     dev.taskflow.FeatureUnsupportedException} unless it keeps {@link Storage#flows()}
   */
  public JobValidator(
      Clock clock, int maxArgsBytes, Function<String, TypeDefaults> typeDefaults, Storage store) {
    this.clock = clock;
    this.maxArgsBytes = maxArgsBytes;
    this.typeDefaults = typeDefaults;
    this.store = store;
  }

  public NewJob validate(JobRequest r) {
    String type = r.type();
    requireName("type", type, MAX_TYPE_LENGTH, null);
    TypeDefaults defaults = typeDefaults.apply(type);
    if (defaults == null) {
      throw invalid(
          "type",
          "unknown_type",
          type,
          "unknown job type '" + type + "': no worker is registered for it");
    }
    validateArgs(type, r.argsJson());

    EnqueueOptions o = r.options();
    String queue = o.queue() == null ? EnqueueOptions.DEFAULT_QUEUE : o.queue();
    requireName("queue", queue, MAX_QUEUE_LENGTH, type);

    int priority = o.priority() == null ? 0 : o.priority();
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw invalid("priority", "range", type, "priority must be -100..100, was " + priority);
    }
    int maxAttempts = o.maxAttempts() == null ? defaults.maxAttempts() : o.maxAttempts();
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
      throw invalid("maxAttempts", "range", type, "maxAttempts must be 1..100, was " + maxAttempts);
    }
    Duration timeout = o.timeout();
    if (timeout != null
        && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0)) {
      throw invalid(
          "timeout", "range", type, "timeout must be more than 0 and at most P1D, was " + timeout);
    }
    if (o.runAt() != null && o.delay() != null) {
      throw invalid("delay", "exclusive", type, "give runAt or delay, not both");
    }
    if (o.delay() != null && (o.delay().isNegative() || o.delay().compareTo(MAX_AHEAD) > 0)) {
      throw invalid("delay", "range", type, "delay must be 0..P365D, was " + o.delay());
    }
    if (o.runAt() != null && o.runAt().isBefore(MIN_INSTANT)) {
      throw invalid(
          "runAt",
          "range",
          type,
          "runAt must be at or after " + MIN_INSTANT + ", was " + o.runAt());
    }
    if (o.runAt() != null && o.runAt().isAfter(clock.instant().plus(MAX_AHEAD))) {
      throw invalid(
          "runAt", "range", type, "runAt must be at most 365 days ahead, was " + o.runAt());
    }
    requireText("uniqueKey", o.uniqueKey(), type);
    requireText("owner", o.owner(), type);
    List<String> tags = o.tags();
    if (tags.size() > MAX_TAGS) {
      throw invalid("tags", "max_items", type, "at most " + MAX_TAGS + " tags, got " + tags.size());
    }
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      if (tag == null || tag.isBlank() || characters(tag) > MAX_TAG_LENGTH) {
        throw invalid(
            "tags/" + i,
            "length",
            type,
            "a tag must be 1.." + MAX_TAG_LENGTH + " characters, not blank");
      }
      requireNoControl("tags/" + i, tag, type);
    }
    JobFlow flow = flow(o, type);
    return new NewJob(
        Ids.uuidV7(clock),
        type,
        queue,
        priority,
        r.argsJson(),
        maxAttempts,
        timeout,
        o.runAt(),
        o.delay(),
        o.uniqueKey(),
        o.owner(),
        List.copyOf(tags),
        flow,
        o.uniqueFor(),
        o.startWithin());
  }

  /** Checks the flow-control options; the store checks what needs its data (parents exist). */
  private JobFlow flow(EnqueueOptions o, String type) {
    List<UUID> parents = o.dependsOn();
    if (!parents.isEmpty() && !StorageFeature.FLOWS.isIn(store)) {
      throw StorageFeature.FLOWS.missingIn(store);
    }
    if (parents.size() > MAX_PARENTS) {
      throw invalid(
          "dependsOn",
          "max_items",
          type,
          "at most " + MAX_PARENTS + " parents, got " + parents.size());
    }
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < parents.size(); i++) {
      UUID parent = parents.get(i);
      if (parent == null) {
        throw invalid("dependsOn/" + i, "required", type, "a parent id must not be null");
      }
      if (!seen.add(parent)) {
        throw invalid("dependsOn/" + i, "duplicate", type, "parent " + parent + " is listed twice");
      }
    }
    if (o.onParentFailure() != null && parents.isEmpty()) {
      throw invalid(
          "onParentFailure",
          "requires_depends_on",
          type,
          "onParentFailure applies only to a job with dependsOn");
    }
    requireText("concurrencyKey", o.concurrencyKey(), type);
    Duration uniqueFor = o.uniqueFor();
    if (uniqueFor != null) {
      if (o.uniqueKey() == null) {
        throw invalid(
            "uniqueFor", "requires_unique_key", type, "uniqueFor applies only with a uniqueKey");
      }
      if (uniqueFor.isNegative() || uniqueFor.isZero() || uniqueFor.compareTo(MAX_AHEAD) > 0) {
        throw invalid(
            "uniqueFor",
            "range",
            type,
            "uniqueFor must be more than 0 and at most P365D, was " + uniqueFor);
      }
    }
    if (o.startBy() != null && o.startWithin() != null) {
      throw invalid("startWithin", "exclusive", type, "give startBy or startWithin, not both");
    }
    Duration within = o.startWithin();
    if (within != null
        && (within.isNegative() || within.isZero() || within.compareTo(MAX_AHEAD) > 0)) {
      throw invalid(
          "startWithin",
          "range",
          type,
          "startWithin must be more than 0 and at most P365D, was " + within);
    }
    Instant startBy = o.startBy();
    if (startBy != null) {
      Instant now = clock.instant();
      if (!startBy.isAfter(now) || startBy.isAfter(now.plus(MAX_AHEAD))) {
        throw invalid(
            "startBy",
            "range",
            type,
            "startBy must be in the future and at most 365 days ahead, was " + startBy);
      }
      if (o.runAt() != null && startBy.isBefore(o.runAt())) {
        throw invalid(
            "startBy",
            "before_run_at",
            type,
            "startBy " + startBy + " is before runAt " + o.runAt() + ": the job could never start");
      }
      if (o.delay() != null && startBy.isBefore(now.plus(o.delay()))) {
        throw invalid(
            "startBy",
            "before_run_at",
            type,
            "startBy "
                + startBy
                + " is before the job is due (delay "
                + o.delay()
                + "): the job could never start");
      }
    }
    if (within != null) {
      // startWithin counts from the enqueue, so a deadline before the due time always expires
      if (o.delay() != null && within.compareTo(o.delay()) < 0) {
        throw invalid(
            "startWithin",
            "before_run_at",
            type,
            "startWithin "
                + within
                + " is shorter than delay "
                + o.delay()
                + ": the job could never start");
      }
      if (o.runAt() != null && clock.instant().plus(within).isBefore(o.runAt())) {
        throw invalid(
            "startWithin",
            "before_run_at",
            type,
            "startWithin "
                + within
                + " ends before runAt "
                + o.runAt()
                + ": the job could never start");
      }
    }
    JobFlow flow =
        new JobFlow(
            parents,
            parents.isEmpty()
                ? null
                : o.onParentFailure() == null ? ParentFailure.CANCEL : o.onParentFailure(),
            null,
            o.concurrencyKey(),
            null,
            startBy);
    return flow.isNone() ? JobFlow.NONE : flow;
  }

  /** Validates every request; a bad one is named by its index ({@code jobs/3/priority}). */
  public List<NewJob> validateAll(List<JobRequest> requests, boolean prefixIndex) {
    List<NewJob> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      try {
        out.add(validate(requests.get(i)));
      } catch (InvalidJobException e) {
        throw prefixIndex ? e.under("jobs/" + i + "/") : e;
      }
    }
    return out;
  }

  private void validateArgs(String type, String argsJson) {
    int bytes = argsJson.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxArgsBytes) {
      throw invalid(
          "args", "max_size", type, "args are " + bytes + " bytes; the limit is " + maxArgsBytes);
    }
    JsonNode tree;
    try {
      tree = Json.tree(argsJson);
    } catch (JacksonException e) {
      throw invalid("args", "json", type, "args are not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw invalid("args", "type", type, "args must be a JSON object");
    }
    checkNoNul(tree, "args", type);
  }

  private static void checkNoNul(JsonNode node, String path, String type) {
    if (node.isString() && node.asString().indexOf('\0') >= 0) {
      throw invalid(path, "nul_character", type, path + " contains a NUL character");
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().indexOf('\0') >= 0) {
          throw invalid(path, "nul_character", type, path + " has a key with a NUL character");
        }
        checkNoNul(e.getValue(), path + "/" + e.getKey(), type);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) checkNoNul(node.get(i), path + "/" + i, type);
    }
  }

  private static void requireName(String field, String value, int max, String type) {
    if (value == null || value.isEmpty()) {
      throw invalid(field, "required", type, field + " must not be empty");
    }
    requireNoControl(field, value, type);
    Names.require(field, field, value, max, type);
  }

  private static void requireText(String field, String value, String type) {
    if (value == null) return;
    if (value.isEmpty() || characters(value) > MAX_TEXT_LENGTH) {
      throw invalid(
          field, "length", type, field + " must be 1.." + MAX_TEXT_LENGTH + " characters");
    }
    requireNoControl(field, value, type);
  }

  /** {@code "a job of type 'x': "}, or {@code "a "} when the type is not known here. */
  private static String ofType(String type) {
    return type == null ? "a " : "a job of type '" + type + "': its ";
  }

  /**
   * Checks a job's result (its JSON) before it is stored.
   *
   * @throws InvalidJobException naming the job's type when it is larger than {@value
   *     #MAX_RESULT_CHARS} characters
   */
  public static void checkResult(String json, String type) {
    checkJsonSize(
        json, MAX_RESULT_CHARS, "result", type, "result", ": store large outputs elsewhere");
  }

  /**
   * Checks the data of a custom event (its JSON) before it is stored and sent.
   *
   * @throws InvalidJobException naming the job's type when it is larger than {@value
   *     #MAX_EVENT_DATA_CHARS} characters
   */
  public static void checkEventData(String json, String type) {
    checkJsonSize(json, MAX_EVENT_DATA_CHARS, "data", type, "custom event data", "");
  }

  private static void checkJsonSize(
      String json, int max, String field, String type, String what, String hint) {
    if (json != null && json.length() > max) {
      throw invalid(
          field,
          "max_size",
          type,
          ofType(type)
              + what
              + " must be at most "
              + max
              + " characters of JSON, was "
              + json.length()
              + hint);
    }
  }

  /**
   * Checks progress a worker reports (locally or remotely) before it is stored or sent.
   *
   * @throws InvalidJobException naming the job's type when the message is too long
   */
  public static void checkProgress(JobProgress progress, String type) {
    String m = progress.message();
    if (m != null && characters(m) > MAX_PROGRESS_MESSAGE) {
      throw invalid(
          "progress/message",
          "length",
          type,
          ofType(type)
              + "progress message must be at most "
              + MAX_PROGRESS_MESSAGE
              + " characters, was "
              + characters(m));
    }
  }

  /**
   * The length a person counts: code points, so an emoji is one character, not two UTF-16 units (an
   * unpaired surrogate, which a request body cannot carry, counts as one).
   */
  static int characters(String s) {
    return s.codePointCount(0, s.length());
  }

  private static void requireNoControl(String field, String value, String type) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0')
        throw invalid(field, "nul_character", type, field + " contains a NUL character");
      if (Character.isISOControl(c)) { // C0, DEL and C1 (U+0080..U+009F)
        throw invalid(field, "control_character", type, field + " contains a control character");
      }
    }
  }

  /**
   * Checks the type of a custom event a handler or remote worker emits: a {@link #NAME}, at most
   * {@value #MAX_EVENT_TYPE_LENGTH} characters, outside the {@link #RESERVED_EVENT_PREFIXES} (in
   * any case, so {@code JOB.completed} cannot pass for a built-in event).
   *
   * @param field the field named in the error ({@code type} over HTTP, {@code eventType} in Java)
   * @param jobType the job's type, for the message; may be null
   * @param allowReserved true only for TaskFlow's own handlers (see {@link #INTERNAL_TYPE_PREFIX})
   */
  public static void requireCustomEventType(
      String field, String eventType, String jobType, boolean allowReserved) {
    if (eventType == null
        || eventType.isEmpty()
        || eventType.length() > MAX_EVENT_TYPE_LENGTH
        || !NAME.matcher(eventType).matches()) {
      throw invalid(
          field,
          "pattern",
          jobType,
          "custom event type must match "
              + NAME.pattern()
              + " and be at most "
              + MAX_EVENT_TYPE_LENGTH
              + " characters, was '"
              + (eventType == null ? "null" : shorten(eventType))
              + "'");
    }
    if (allowReserved) return;
    String lower = eventType.toLowerCase(java.util.Locale.ROOT);
    for (String prefix : RESERVED_EVENT_PREFIXES) {
      if (lower.startsWith(prefix)) {
        throw invalid(
            field,
            "reserved",
            jobType,
            "custom event type '"
                + shorten(eventType)
                + "' uses the reserved prefix '"
                + prefix
                + "' (reserved: "
                + String.join(", ", RESERVED_EVENT_PREFIXES)
                + ")");
      }
    }
  }

  public static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private static InvalidJobException invalid(
      String field, String rule, String type, String message) {
    return new InvalidJobException(field, rule, type, message);
  }
}
