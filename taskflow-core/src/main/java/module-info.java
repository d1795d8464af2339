/**
 * TaskFlow's core: the public API an application calls ({@code dev.taskflow}), the storage SPI a
 * store implements ({@code dev.taskflow.spi}), the in-memory store and cron expressions. The engine
 * ({@code dev.taskflow.internal..}) is not exported.
 */
module dev.taskflow.core {
  requires transitive tools.jackson.databind;
  requires org.slf4j;

  exports dev.taskflow;
  exports dev.taskflow.spi;
  exports dev.taskflow.memory;
  exports dev.taskflow.cron;

  // Jackson reads and writes the API's records (job args, results, stored definitions)
  opens dev.taskflow to
      tools.jackson.databind;
  opens dev.taskflow.internal.recurring to
      tools.jackson.databind;
}
