/** TaskFlow's test kit for users' tests: a manual clock. JDK only. */
module dev.taskflow.test {
  exports dev.taskflow.test;
}
