package dev.taskflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.TaskFlow;
import dev.taskflow.TaskFlowBuilder;
import dev.taskflow.Webhook;
import dev.taskflow.memory.InMemoryStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Interoperability of webhook signatures: the Python verifier printed in {@code docs/webhooks.md}
 * run against a real delivery (the Standard Webhooks test vector is {@code WebhookVerifierTest}'s,
 * in taskflow-webhook-verifier).
 */
class WebhookSignatureTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Pattern PYTHON_SNIPPET =
      Pattern.compile(
          "<!-- verify-python:start -->\\s*```python\\n(.*?)```\\s*<!-- verify-python:end -->",
          Pattern.DOTALL);

  private WebhookReceiver receiver;
  private TaskFlow taskflow;
  private WebhookDelivery delivery;

  @AfterEach
  void stop() {
    if (delivery != null) delivery.close();
    if (taskflow != null) taskflow.close();
    if (receiver != null) receiver.close();
  }

  @Test
  void the_python_verifier_of_the_docs_accepts_a_real_delivery_and_refuses_a_tampered_one()
      throws Exception {
    requirePython();
    String snippet = pythonSnippet();
    receiver = new WebhookReceiver();
    TaskFlowBuilder b = TaskFlow.builder().storage(new InMemoryStorage());
    delivery =
        Deliveries.installed(
            b,
            WebhookDelivery.Options.defaults()
                .withPolicy(
                    WebhookPolicy.defaults().withAllowHttp(true).withAllowPrivateTargets(true)));
    taskflow = b.build();
    Webhook hook =
        taskflow
            .webhooks()
            .create(receiver.url("/hook"), List.of("job.*"), null, null, null, Map.of());
    Job job =
        taskflow
            .enqueue(
                WebhookDelivery.request(
                    hook, testEnvelope(), dev.taskflow.EnqueueOptions.DEFAULT_QUEUE))
            .job();
    taskflow.runDueJobs();
    assertThat(taskflow.get(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    WebhookReceiver.Received got = receiver.received.getFirst();

    String secret = hook.secrets().getFirst();
    assertThat(runPython(snippet, secret, got, got.body())).isEqualTo("ok");
    byte[] tampered = (new String(got.body(), StandardCharsets.UTF_8) + " ").getBytes();
    assertThat(runPython(snippet, secret, got, tampered)).contains("no signature matches");
    String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(runPython(snippet, other, got, got.body())).contains("no signature matches");
  }

  private static ObjectNode testEnvelope() {
    ObjectNode e = JSON.createObjectNode();
    e.put("id", "test-signature");
    e.put("type", WebhookDelivery.TEST_EVENT);
    e.put("time", Instant.now().toString());
    e.putObject("data").put("note", "ünïcode and \"quotes\"");
    return e;
  }

  /** The Python block of docs/webhooks.md between the verify-python markers. */
  private static String pythonSnippet() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "webhooks.md"));
    Matcher m = PYTHON_SNIPPET.matcher(doc);
    assertThat(m.find()).as("docs/webhooks.md must hold the verify-python block").isTrue();
    assertThat(m.group(1)).contains("def verify(");
    return m.group(1);
  }

  /**
   * Runs the doc's verify() on the delivery's headers and the given body; "ok" when it accepts (and
   * then refuses the same message again as a replay), else the error it raised.
   */
  private static String runPython(
      String snippet, String secret, WebhookReceiver.Received got, byte[] body) throws Exception {
    String harness =
        snippet
            + "\n"
            + """
            import json, sys
            d = json.load(sys.stdin)
            body = base64.b64decode(d["body"])
            try:
                verify(d["secret"], d["headers"], body)
            except ValueError as e:
                print("refused: " + str(e))
                sys.exit(0)
            try:
                verify(d["secret"], d["headers"], body)
                print("replay accepted")
            except ValueError:
                print("ok")
            """;
    ObjectNode input = JSON.createObjectNode();
    input.put("secret", secret);
    ObjectNode headers = input.putObject("headers");
    for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      headers.put(h, got.header(h));
    }
    input.put("body", Base64.getEncoder().encodeToString(body));
    Process p = new ProcessBuilder("python3", "-c", harness).redirectErrorStream(true).start();
    p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python3 finishes").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static void requirePython() {
    boolean present;
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      present =
          p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(present).as("python3 is needed under CI for the docs' verifier").isTrue();
    } else {
      Assumptions.assumeTrue(present, "python3 is not installed; skipping the docs' verifier");
    }
  }
}
