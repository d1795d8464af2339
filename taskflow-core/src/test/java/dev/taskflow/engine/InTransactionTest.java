package dev.taskflow.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.TaskFlow;
import dev.taskflow.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

class InTransactionTest {

  @Test
  void a_store_that_cannot_join_a_callers_transaction_says_so_by_name() {
    try (TaskFlow tf = TaskFlow.builder().storage(new InMemoryStorage()).build()) {
      assertThatThrownBy(() -> tf.inTransaction(new Object()))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("the memory store cannot enqueue inside a caller's transaction");
      assertThatThrownBy(() -> tf.inTransaction(null)).isInstanceOf(NullPointerException.class);
    }
  }
}
