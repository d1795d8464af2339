/** Webhook delivery: an engine plugin (worker, fan-out) and a web plugin (the routes). */
module dev.taskflow.webhooks {
  requires transitive dev.taskflow.web;
  requires transitive dev.taskflow.webhooks.verify;
  requires org.eclipse.jetty.client;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.io;
  requires org.eclipse.jetty.util;
  requires org.slf4j;

  exports dev.taskflow.webhooks;
}
