/** The storage contract as JUnit suites: a store passes it to be a TaskFlow store. */
module dev.taskflow.tck {
  requires transitive dev.taskflow.core;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires org.assertj.core;
  requires dev.taskflow.test;

  exports dev.taskflow.tck;

  // JUnit finds and runs the contracts' nested suites reflectively
  opens dev.taskflow.tck to
      org.junit.platform.commons;
}
