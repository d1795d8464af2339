package dev.taskflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.memory.InMemoryStorage;
import dev.taskflow.test.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What {@link TaskFlowPlugin} promises: its order of calls, its workers, and its refusals. */
class PluginLifecycleTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** Records each call; {@code failStop} makes its stop throw. */
  private final class Recorder implements TaskFlowPlugin {
    final String name;
    final boolean failStop;
    final AtomicReference<PluginContext> context = new AtomicReference<>();

    Recorder(String name, boolean failStop) {
      this.name = name;
      this.failStop = failStop;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void install(PluginContext ctx) {
      calls.add(name + ".install");
      context.set(ctx);
      ctx.worker(name + ".work", JsonNode.class, (args, jc) -> name + " ran");
      assertThatThrownBy(ctx::client)
          .as("the client is not there while the TaskFlow is built")
          .isInstanceOf(IllegalStateException.class);
    }

    @Override
    public void built() {
      calls.add(name + ".built");
    }

    @Override
    public void start() {
      calls.add(name + ".start");
    }

    @Override
    public void stop() {
      calls.add(name + ".stop");
      if (failStop) throw new IllegalStateException(name + " cannot stop");
    }
  }

  private TaskFlowBuilder builder() {
    return TaskFlow.builder().storage(new InMemoryStorage(clock)).clock(clock);
  }

  @Test
  void plugins_install_then_see_the_build_then_start_and_stop_first_in_reverse_order()
      throws Exception {
    Recorder a = new Recorder("a", true);
    Recorder b = new Recorder("b", false);
    TaskFlow tf = builder().plugin(a).plugin(b).build();
    assertThat(calls).containsExactly("a.install", "b.install", "a.built", "b.built");

    tf.start();
    assertThat(calls).endsWith("a.start", "b.start");

    // a plugin's worker runs like any other, and its context reaches the built TaskFlow
    Job job = a.context.get().client().enqueue(JobRequest.of("a.work", "{}")).job();
    assertThat(tf.awaitFinished(job.id(), java.time.Duration.ofSeconds(10)).state())
        .isEqualTo(JobState.COMPLETED); // the started engine runs it
    assertThat(a.context.get().serverId()).isEqualTo(tf.cluster().serverId());

    tf.close(); // a's stop throws: b stopped first, and the engine and store still close
    assertThat(calls).endsWith("b.stop", "a.stop");
    assertThatThrownBy(() -> tf.get(job.id())).isInstanceOf(RuntimeException.class);
  }

  @Test
  void a_plugin_cannot_register_workers_after_the_build_or_be_installed_twice() {
    Recorder a = new Recorder("a", false);
    try (TaskFlow tf = builder().plugin(a).build()) {
      assertThat(tf.cluster().jobTypes()).contains("a.work");
      assertThatThrownBy(
              () -> a.context.get().worker("late.work", JsonNode.class, (args, jc) -> null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only possible while the plugin is installed");
      assertThatThrownBy(() -> a.context.get().listener(new JobListener() {}))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> builder().plugin(a).plugin(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plugin a is installed already");
  }
}
