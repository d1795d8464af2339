package dev.taskflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskflow.Job;
import dev.taskflow.JobEvent;
import dev.taskflow.JobRequest;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Webhook;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.Storage;
import dev.taskflow.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook fan-out from the durable cursor, on real stores and a real receiver on loopback: events
 * that happen while no delivering server runs are delivered when one starts, and two servers on one
 * PostgreSQL schema enqueue each event once per webhook.
 */
class WebhookFanOutTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PG_URL =
      System.getenv()
          .getOrDefault(
              "TASKFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  /** Short, so a failover test stays bounded; renewed every third of it. */
  private static final Duration LEADER_TTL = Duration.ofSeconds(2);

  @TempDir Path dir;
  private final WebhookReceiver receiver;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<TaskFlow, WebhookDelivery> deliveries = new java.util.IdentityHashMap<>();
  private String schema;

  WebhookFanOutTest() throws Exception {
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) c.close();
    receiver.close();
    if (schema != null) dropSchema(schema);
  }

  /** A started node; with delivery, the delivery is closed before the TaskFlow. */
  private TaskFlow node(Supplier<Storage> store, boolean withDelivery) {
    TaskFlowBuilder b =
        TaskFlow.builder()
            .storage(store.get())
            .pollInterval(Duration.ofMillis(100))
            .worker("demo.echo", JsonNode.class, (args, ctx) -> args);
    WebhookDelivery delivery =
        withDelivery
            ? Deliveries.installed(
                b,
                WebhookDelivery.Options.defaults()
                    .withPolicy(
                        WebhookPolicy.defaults().withAllowHttp(true).withAllowPrivateTargets(true))
                    .withPollInterval(Duration.ofMillis(200))
                    .withLeaderTtl(LEADER_TTL))
            : null;
    TaskFlow tf = b.build();
    open.add(tf);
    if (delivery != null) {
      open.add(delivery);
      deliveries.put(tf, delivery);
    }
    return tf.start();
  }

  /** Closes the node's delivery first (as the server does), then the node; no other node. */
  private void close(TaskFlow tf) throws Exception {
    WebhookDelivery d = deliveries.get(tf);
    if (d != null) {
      open.remove(d);
      d.close();
    }
    open.remove(tf);
    tf.close();
  }

  private static List<Job> runJobs(TaskFlow tf, int n) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(tf.enqueue(JobRequest.of("demo.echo", "{\"n\":" + i + "}")).job());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.stream()
                    .allMatch(j -> tf.get(j.id()).orElseThrow().state() == JobState.COMPLETED));
    return jobs;
  }

  private List<JsonNode> receivedOfType(String type) {
    return receiver.received.stream()
        .map(r -> JSON.readTree(r.body()))
        .filter(n -> n.get("type").asString().equals(type))
        .toList();
  }

  private static Set<String> jobIds(List<Job> jobs) {
    Set<String> ids = new HashSet<>();
    jobs.forEach(j -> ids.add(j.id().toString()));
    return ids;
  }

  @Test
  void events_that_happen_while_no_delivering_server_runs_are_delivered_when_one_starts()
      throws Exception {
    Path file = dir.resolve("taskflow.db");
    Supplier<Storage> store = () -> SqliteStorage.open(file);

    TaskFlow first = node(store, true);
    first
        .webhooks()
        .create(receiver.url("/hook"), List.of(JobEvent.COMPLETED), null, null, null, Map.of());
    List<Job> before = runJobs(first, 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receivedOfType(JobEvent.COMPLETED).size() == 1);
    close(first);

    // Jobs finish on a node without webhook delivery while no delivering server runs.
    TaskFlow plain = node(store, false);
    List<Job> meanwhile = runJobs(plain, 3);
    close(plain);
    assertThat(receivedOfType(JobEvent.COMPLETED)).hasSize(1);

    node(store, true);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(receivedOfType(JobEvent.COMPLETED))
                    .extracting(n -> n.get("jobId").asString())
                    .containsExactlyInAnyOrderElementsOf(
                        jobIds(
                            List.of(
                                before.get(0),
                                meanwhile.get(0),
                                meanwhile.get(1),
                                meanwhile.get(2)))));
  }

  @Test
  void a_new_installation_starts_at_the_end_of_the_log() throws Exception {
    Path file = dir.resolve("taskflow.db");
    Supplier<Storage> store = () -> SqliteStorage.open(file);
    TaskFlow plain = node(store, false);
    // A webhook registered before delivery was ever installed, and events of that time.
    plain
        .webhooks()
        .create(receiver.url("/hook"), List.of(JobEvent.COMPLETED), null, null, null, Map.of());
    runJobs(plain, 2);
    close(plain);

    TaskFlow delivering = node(store, true);
    List<Job> after = runJobs(delivering, 1);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receivedOfType(JobEvent.COMPLETED).size() == 1);
    assertThat(receivedOfType(JobEvent.COMPLETED).getFirst().get("jobId").asString())
        .isEqualTo(after.getFirst().id().toString());
  }

  @Test
  void two_nodes_on_one_postgresql_schema_deliver_each_event_once_per_webhook() throws Exception {
    requirePostgres();
    schema =
        ("webhook_fanout_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
            .toLowerCase(Locale.ROOT);
    Supplier<Storage> store = () -> PostgresStorage.builder(PG_URL).schema(schema).build();
    TaskFlow a = node(store, true);
    TaskFlow b = node(store, true);
    Webhook all =
        a.webhooks().create(receiver.url("/all"), List.of("job.*"), null, null, null, Map.of());
    Webhook done =
        b.webhooks()
            .create(receiver.url("/done"), List.of(JobEvent.COMPLETED), null, null, null, Map.of());

    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      jobs.add((i % 2 == 0 ? a : b).enqueue(JobRequest.of("demo.echo", "{\"i\":" + i + "}")).job());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jobs.stream()
                    .allMatch(j -> a.get(j.id()).orElseThrow().state() == JobState.COMPLETED));
    List<String> allEventIds = new ArrayList<>();
    List<String> completedEventIds = new ArrayList<>();
    for (Job j : jobs) {
      for (JobEvent e : a.events(j.id(), null, 1000)) {
        if (all.matches(e)) allEventIds.add(e.id());
        if (done.matches(e)) completedEventIds.add(e.id());
      }
    }
    assertThat(completedEventIds).hasSize(jobs.size());
    int expected = allEventIds.size() + completedEventIds.size();

    // Reached, and held for a while: no late copy from the other node.
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() >= expected);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.received.size() == expected);

    assertDeliveredOnce("/all", allEventIds);
    assertDeliveredOnce("/done", completedEventIds);
  }

  @Test
  void when_the_fan_out_leader_stops_mid_stream_the_other_node_takes_over_and_nothing_is_doubled()
      throws Exception {
    requirePostgres();
    schema =
        ("webhook_failover_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
            .toLowerCase(Locale.ROOT);
    Supplier<Storage> store = () -> PostgresStorage.builder(PG_URL).schema(schema).build();
    TaskFlow a = node(store, true);
    Webhook all =
        a.webhooks().create(receiver.url("/all"), List.of("job.*"), null, null, null, Map.of());
    Webhook done =
        a.webhooks()
            .create(receiver.url("/done"), List.of(JobEvent.COMPLETED), null, null, null, Map.of());
    WebhookDelivery aDelivery = deliveries.get(a);
    List<Job> jobs = new ArrayList<>(enqueue(a, 0, 10));
    // a, alone, is the fan-out leader once it has enqueued deliveries
    await().atMost(Duration.ofSeconds(20)).until(() -> aDelivery.deliveriesEnqueued() > 0);
    TaskFlow b = node(store, true);
    WebhookDelivery bDelivery = deliveries.get(b);
    jobs.addAll(enqueue(b, 10, 10));
    await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.received.isEmpty());

    close(a); // gives the leadership up while events keep coming
    jobs.addAll(enqueue(b, 20, 10));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jobs.stream()
                    .allMatch(j -> b.get(j.id()).orElseThrow().state() == JobState.COMPLETED));

    List<String> allEventIds = new ArrayList<>();
    List<String> completedEventIds = new ArrayList<>();
    for (Job j : jobs) {
      for (JobEvent e : b.events(j.id(), null, 1000)) {
        if (all.matches(e)) allEventIds.add(e.id());
        if (done.matches(e)) completedEventIds.add(e.id());
      }
    }
    assertThat(completedEventIds).hasSize(jobs.size());
    int expected = allEventIds.size() + completedEventIds.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() >= expected);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.received.size() == expected);

    assertDeliveredOnce("/all", allEventIds);
    assertDeliveredOnce("/done", completedEventIds);
    // Each node counts only the deliveries of its own winning cursor advances, before any
    // uniqueKey dedupe in the store: together exactly one per event and webhook, and b took over.
    assertThat(aDelivery.deliveriesEnqueued()).isPositive();
    assertThat(bDelivery.deliveriesEnqueued()).isPositive();
    assertThat(aDelivery.deliveriesEnqueued() + bDelivery.deliveriesEnqueued()).isEqualTo(expected);
    // and the store holds one delivery job per event and webhook
    assertThat(deliveryEventIds(b, all)).containsExactlyInAnyOrderElementsOf(allEventIds);
    assertThat(deliveryEventIds(b, done)).containsExactlyInAnyOrderElementsOf(completedEventIds);
  }

  private static List<Job> enqueue(TaskFlow tf, int from, int n) {
    List<Job> jobs = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      jobs.add(tf.enqueue(JobRequest.of("demo.echo", "{\"n\":" + i + "}")).job());
    }
    return jobs;
  }

  /** The event id of every delivery job of a webhook in the store (one entry per job). */
  private static List<String> deliveryEventIds(TaskFlow tf, Webhook w) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      dev.taskflow.Page<Job> page =
          tf.list(
              dev.taskflow.JobQuery.all()
                  .type(WebhookDelivery.JOB_TYPE)
                  .tag("webhook:" + w.id())
                  .limit(200)
                  .cursor(cursor));
      for (Job j : page.items()) {
        ids.add(JSON.readTree(j.argsJson()).get("event").get("id").asString());
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }

  private void assertDeliveredOnce(String path, List<String> eventIds) {
    List<WebhookReceiver.Received> got =
        receiver.received.stream().filter(r -> r.path().equals(path)).toList();
    assertThat(got).as("deliveries to %s", path).hasSize(eventIds.size());
    assertThat(got.stream().map(r -> r.header("webhook-id")).distinct())
        .as("distinct webhook-ids at %s", path)
        .hasSize(eventIds.size());
    assertThat(got.stream().map(r -> JSON.readTree(r.body()).get("id").asString()))
        .as("event ids at %s", path)
        .containsExactlyInAnyOrderElementsOf(eventIds);
  }

  private static void requirePostgres() {
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(PG_URL)) {
      if (c.isValid(5)) return;
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("under CI the PostgreSQL tests must run: " + e.getMessage(), e);
      }
      Assumptions.abort(
          "PostgreSQL is not reachable (" + e.getMessage() + "); set TASKFLOW_TEST_PG_URL");
    }
  }

  private static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(PG_URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema + ": " + e, e);
    }
  }
}
