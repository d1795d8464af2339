/**
 * TaskFlow's HTTP API v1, SSE and WebSocket on Javalin. Plugins (webhooks, the dashboard) mount
 * their routes through {@code dev.taskflow.web.WebPlugin} with the shared plumbing of that package;
 * the route classes of {@code api} and {@code stream} are not exported.
 */
module dev.taskflow.web {
  requires transitive dev.taskflow.core;
  requires transitive io.javalin;
  requires transitive tools.jackson.databind;
  requires jakarta.servlet;
  requires org.slf4j;

  exports dev.taskflow.web;
}
