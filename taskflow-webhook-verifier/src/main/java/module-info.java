/** Checks Standard Webhooks signatures of TaskFlow's deliveries, for receivers. JDK only. */
module dev.taskflow.webhooks.verify {
  exports dev.taskflow.webhooks.verify;
}
