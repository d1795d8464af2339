package dev.taskflow.internal;

import dev.taskflow.BatchInfo;
import dev.taskflow.BatchOptions;
import dev.taskflow.BatchResult;
import dev.taskflow.Batches;
import dev.taskflow.EnqueueOptions;
import dev.taskflow.EnqueueResult;
import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.InvalidJobException;
import dev.taskflow.JobFlow;
import dev.taskflow.JobRequest;
import dev.taskflow.QueueFullException;
import dev.taskflow.spi.BatchInsertParams;
import dev.taskflow.spi.BatchRecord;
import dev.taskflow.spi.BatchSpec;
import dev.taskflow.spi.FlowStore;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.NewJob;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The store-backed {@link Batches}. */
public final class BatchService implements Batches {

  private final Storage storage;
  private final Clock clock;
  private final Function<List<JobRequest>, List<NewJob>> prepareAll;
  private final Function<JobRequest, NewJob> prepareOne;
  private final Consumer<String> wakeQueue;
  private final String serverId;

  public BatchService(
      Storage storage,
      Clock clock,
      String serverId,
      Function<List<JobRequest>, List<NewJob>> prepareAll,
      Function<JobRequest, NewJob> prepareOne,
      Consumer<String> wakeQueue) {
    this.storage = storage;
    this.clock = clock;
    this.serverId = serverId;
    this.prepareAll = prepareAll;
    this.prepareOne = prepareOne;
    this.wakeQueue = wakeQueue;
  }

  /**
   * Whether the store keeps batches and job dependencies ({@link EnqueueOptions#dependsOn}). When
   * it does not, every other method here throws {@link FeatureUnsupportedException}.
   */
  @Override
  public boolean supported() {
    return StorageFeature.FLOWS.isIn(storage);
  }

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  @Override
  public Batches requireSupported() {
    store();
    return this;
  }

  private FlowStore store() {
    return storage.flows().orElseThrow(() -> StorageFeature.FLOWS.missingIn(storage));
  }

  /**
   * Enqueues every member and the batch in one transaction: all or nothing.
   *
   * @throws InvalidJobException naming the field ({@code jobs/3/dependsOn/0}, {@code
   *     callback/type}, {@code description}) and the rule; nothing is stored
   * @throws QueueFullException when the members would take a bounded queue past its depth
   */
  @Override
  public BatchResult enqueue(BatchOptions options, List<JobRequest> jobs) {
    requireSupported();
    if (options == null) options = BatchOptions.defaults();
    if (jobs == null || jobs.isEmpty()) {
      throw new InvalidJobException("jobs", "min_items", null, "a batch needs at least one job");
    }
    if (jobs.size() > MAX_JOBS) {
      throw new InvalidJobException(
          "jobs", "max_items", null, "at most " + MAX_JOBS + " jobs per batch, got " + jobs.size());
    }
    checkDescription(options.description());
    String metadata = checkMetadata(options.metadataJson());
    NewJob callback = options.callback() == null ? null : callback(options.callback());
    List<NewJob> members = resolveMembers(jobs, prepareAll.apply(jobs));
    UUID batchId = dev.taskflow.internal.Ids.uuidV7(clock);
    String spec = new BatchSpec(options.description(), metadata, callback).toJson();
    List<InsertOutcome> outcomes;
    try {
      outcomes = store().batchInsert(new BatchInsertParams(batchId, spec, members, serverId));
    } catch (InvalidJobException e) {
      throw members.size() == 1 && e.field().startsWith("dependsOn/") ? e.under("jobs/0/") : e;
    }
    List<EnqueueResult> out = new ArrayList<>(outcomes.size());
    Set<String> queues = new HashSet<>();
    for (InsertOutcome o : outcomes) {
      if (!o.duplicate()) queues.add(o.job().queue());
      out.add(new EnqueueResult(o.job(), o.duplicate()));
    }
    queues.forEach(wakeQueue);
    return new BatchResult(batchId, out, callback == null ? null : callback.id());
  }

  /** The batch with its counts per state, or empty when no batch has the id. */
  @Override
  public Optional<BatchInfo> get(UUID batchId) {
    return store().batchGet(batchId).map(BatchService::info);
  }

  static BatchInfo info(BatchRecord r) {
    BatchSpec spec = BatchSpec.fromJson(r.specJson());
    return new BatchInfo(
        r.id(),
        r.state(),
        spec.description(),
        spec.metadataJson(),
        r.total(),
        r.counts(),
        spec.callback() == null ? null : spec.callback().id(),
        r.createdAt(),
        r.finishedAt());
  }

  /** Replaces {@link #member} stand-ins with the members' ids; checks they point backwards. */
  private static List<NewJob> resolveMembers(List<JobRequest> requests, List<NewJob> jobs) {
    List<NewJob> out = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob n = jobs.get(i);
      List<UUID> parents = new ArrayList<>(n.flow().dependsOn());
      boolean changed = false;
      for (int k = 0; k < parents.size(); k++) {
        int idx = Batches.memberIndex(parents.get(k));
        if (idx < 0) continue;
        String field = "jobs/" + i + "/dependsOn/" + k;
        if (idx >= jobs.size()) {
          throw new InvalidJobException(
              field,
              "unknown_member",
              n.type(),
              "dependsOn names member " + idx + " but the batch has " + jobs.size() + " jobs");
        }
        if (idx >= i) {
          throw new InvalidJobException(
              field,
              "member_order",
              n.type(),
              "job " + i + " may depend only on members listed before it, not on member " + idx);
        }
        parents.set(k, jobs.get(idx).id());
        changed = true;
      }
      if (changed && new HashSet<>(parents).size() != parents.size()) {
        throw new InvalidJobException(
            "jobs/" + i + "/dependsOn",
            "duplicate",
            n.type(),
            "a member is listed twice among the parents of job " + i);
      }
      JobFlow f = n.flow();
      out.add(
          changed
              ? n.withFlow(
                  new JobFlow(
                      parents,
                      f.onParentFailure(),
                      f.batchId(),
                      f.concurrencyKey(),
                      f.uniqueUntil(),
                      f.startBy()))
              : n);
    }
    return out;
  }

  private NewJob callback(JobRequest request) {
    EnqueueOptions o = request.options();
    String bad =
        !o.dependsOn().isEmpty()
            ? "dependsOn"
            : o.runAt() != null
                ? "runAt"
                : o.startBy() != null
                    ? "startBy"
                    : o.startWithin() != null
                        ? "startWithin"
                        : o.uniqueFor() != null
                            ? "uniqueFor"
                            // a live job holding the key would silently stand in for the callback
                            : o.uniqueKey() != null ? "uniqueKey" : null;
    if (bad != null) {
      throw new InvalidJobException(
          "callback/" + bad,
          "not_allowed",
          request.type(),
          "a batch callback runs when the batch finishes; " + bad + " is not allowed on it");
    }
    try {
      return prepareOne.apply(request);
    } catch (InvalidJobException e) {
      throw e.under("callback/");
    }
  }

  private static void checkDescription(String d) {
    if (d != null && d.length() > MAX_DESCRIPTION) {
      throw new InvalidJobException(
          "description",
          "max_length",
          null,
          "description is " + d.length() + " characters; the limit is " + MAX_DESCRIPTION);
    }
  }

  private static String checkMetadata(String json) {
    if (json == null) return null;
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_METADATA_BYTES) {
      throw new InvalidJobException(
          "metadata",
          "max_size",
          null,
          "metadata is " + bytes + " bytes; the limit is " + MAX_METADATA_BYTES);
    }
    JsonNode n;
    try {
      n = Json.tree(json);
    } catch (JacksonException e) {
      throw new InvalidJobException(
          "metadata", "json", null, "metadata is not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new InvalidJobException("metadata", "type", null, "metadata must be a JSON object");
    }
    return n.toString();
  }

  /**
   * The ids of the jobs that depend on {@code jobId} (its children, see {@link
   * EnqueueOptions#dependsOn}), in id order, at most {@code limit}.
   *
   * @throws FeatureUnsupportedException when the store keeps no job dependencies
   */
  @Override
  public List<UUID> dependents(UUID jobId, int limit) {
    return store().jobDependents(java.util.Objects.requireNonNull(jobId, "jobId"), limit);
  }
}
