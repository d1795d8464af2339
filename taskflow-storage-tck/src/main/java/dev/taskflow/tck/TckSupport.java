package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobError;
import dev.taskflow.JobEvent;
import dev.taskflow.JobState;
import dev.taskflow.spi.CursorStore;
import dev.taskflow.spi.EventsSinceParams;
import dev.taskflow.spi.FlowStore;
import dev.taskflow.spi.InsertOutcome;
import dev.taskflow.spi.JobChangeStateParams;
import dev.taskflow.spi.JobClaimParams;
import dev.taskflow.spi.JobFinish;
import dev.taskflow.spi.JobFinishManyParams;
import dev.taskflow.spi.JobInsertManyParams;
import dev.taskflow.spi.JobLease;
import dev.taskflow.spi.JobListParams;
import dev.taskflow.spi.JobPromoteParams;
import dev.taskflow.spi.JobRescueParams;
import dev.taskflow.spi.LimitStore;
import dev.taskflow.spi.RecurringStore;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.WebhookStore;
import dev.taskflow.test.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fixtures and helpers shared by the contract groups of {@link StorageTck}. The store under test
 * and its manual clock come from the suite; everything here only calls the {@link Storage} SPI.
 */
public interface TckSupport {
  String QUEUE = "default";
  String SERVER_A = "server-a";
  String SERVER_B = "server-b";
  Duration LEASE = Duration.ofSeconds(30);
  JsonMapper JSON = JsonMapper.builder().build();

  /** The store under test, fresh and opened for each test. */
  Storage store();

  /** The store's clock; time moves only when a test advances it. */
  ManualClock clock();

  /** A new UUIDv7-shaped id, greater than every id this test made before. */
  UUID newId();

  // The store's features. Only the feature suites of StorageTck call these, and they run only when
  // the store hands the feature out.

  default WebhookStore webhookStore() {
    return store().webhooks().orElseThrow();
  }

  default LimitStore limitStore() {
    return store().limits().orElseThrow();
  }

  default RecurringStore recurringStore() {
    return store().recurring().orElseThrow();
  }

  default FlowStore flowStore() {
    return store().flows().orElseThrow();
  }

  default CursorStore cursorStore() {
    return store().cursors().orElseThrow();
  }

  default JobSpec job() {
    return new JobSpec(newId());
  }

  /**
   * Inserts an internal job ({@code taskflow.own}, the higher priority) and a user's job into
   * {@link #QUEUE}, claims excluding the {@code taskflow.} type prefix, and checks that only the
   * user's job was taken and the internal one still waits: with or without limits on the queue.
   */
  default void assertAClaimExcludingTaskflowTypesTakesOnlyTheUsersJob() {
    Job internal = insert(job().queue(QUEUE).type("taskflow.own").priority(10));
    Job user = insert(job().queue(QUEUE).type("t.user"));

    List<Job> claimed =
        store()
            .jobClaim(
                new JobClaimParams(QUEUE, 10, SERVER_A, LEASE, Set.of(), Map.of(), "taskflow."));

    assertThat(claimed).extracting(Job::id).containsExactly(user.id());
    assertThat(get(internal.id()).state()).isEqualTo(JobState.ENQUEUED);
  }

  default Job insert(JobSpec spec) {
    InsertOutcome o =
        store().jobInsertMany(new JobInsertManyParams(List.of(spec.toNewJob()), null)).get(0);
    assertThat(o.duplicate()).as("a job without a unique key is never a duplicate").isFalse();
    return o.job();
  }

  default List<Job> insertN(int n, java.util.function.UnaryOperator<JobSpec> customize) {
    List<Job> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(insert(customize.apply(job())));
    return out;
  }

  default List<InsertOutcome> insertMany(JobSpec... specs) {
    return store()
        .jobInsertMany(
            new JobInsertManyParams(
                Arrays.stream(specs).map(JobSpec::toNewJob).toList(), SERVER_A));
  }

  default List<Job> claim(String queue, int max) {
    return claim(queue, max, SERVER_A);
  }

  default List<Job> claim(String queue, int max, String owner) {
    return store().jobClaim(new JobClaimParams(queue, max, owner, LEASE, Set.of(), Map.of()));
  }

  /** Claims exactly this one job (the only enqueued one on its queue) for {@code owner}. */
  default Job claimOne(String owner) {
    List<Job> claimed = claim(QUEUE, 1, owner);
    assertThat(claimed).as("claimed jobs").hasSize(1);
    return claimed.get(0);
  }

  /** Inserts a job on the default queue and claims it for {@link #SERVER_A}. */
  default Job running(JobSpec spec) {
    Job inserted = insert(spec.queue(QUEUE));
    Job claimed = claimOne(SERVER_A);
    assertThat(claimed.id()).isEqualTo(inserted.id());
    return claimed;
  }

  default JobLease lease(Job claimed) {
    return new JobLease(claimed.id(), claimed.attempt(), claimed.leaseOwner());
  }

  default Set<UUID> finish(JobFinish... outcomes) {
    return store().jobFinishMany(new JobFinishManyParams(List.of(outcomes)));
  }

  default Job get(UUID id) {
    return store()
        .jobGet(id)
        .orElseThrow(() -> new AssertionError("job " + id + " is not in the store"));
  }

  default Job change(UUID id, JobChangeStateParams.Action action) {
    return store().jobChangeState(new JobChangeStateParams(id, action, null, SERVER_A));
  }

  default int promote() {
    return store().jobPromoteDue(new JobPromoteParams(SERVER_A, 1000));
  }

  default int rescue() {
    return store().jobRescueExpired(new JobRescueParams(SERVER_B, 1000));
  }

  default JobError error(int attempt, String message) {
    return new JobError(
        attempt, clock().instant(), "java.lang.IllegalStateException", message, "at tck");
  }

  /** Every persisted event of a job, oldest first. */
  default List<JobEvent> events(UUID jobId) {
    return store().eventsSince(new EventsSinceParams(0, jobId, 10_000));
  }

  default List<String> eventTypes(UUID jobId) {
    return events(jobId).stream().map(JobEvent::type).toList();
  }

  default JobEvent lastEvent(UUID jobId) {
    List<JobEvent> all = events(jobId);
    assertThat(all).as("events of job %s", jobId).isNotEmpty();
    return all.get(all.size() - 1);
  }

  default JsonNode json(String text) {
    return JSON.readTree(text);
  }

  /** Counts per state as the store reports them, with absent states as 0. */
  default Map<JobState, Long> counts() {
    return normalized(store().jobCountByState());
  }

  default Map<JobState, Long> normalized(Map<JobState, Long> counts) {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, counts.getOrDefault(s, 0L));
    return m;
  }

  /** Every job in the store (deleted ones too), by paging through the listing. */
  default List<Job> allJobs() {
    List<Job> all = new ArrayList<>();
    UUID before = null;
    while (true) {
      List<Job> page =
          store()
              .jobList(
                  new JobListParams(
                      EnumSet.allOf(JobState.class), null, null, null, null, before, 500));
      all.addAll(page);
      if (page.size() < 500) return all;
      before = page.get(page.size() - 1).id();
    }
  }

  /** Counts per state computed from the jobs themselves: the truth the counters must match. */
  default Map<JobState, Long> countsByScan() {
    Map<JobState, Long> m = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) m.put(s, 0L);
    for (Job j : allJobs()) m.merge(j.state(), 1L, Long::sum);
    return m;
  }
}
