/** The operator dashboard: server-rendered pages, live updates, mounted as a web plugin. */
module dev.taskflow.dashboard {
  requires transitive dev.taskflow.web;
  requires gg.jte.runtime;
  requires jakarta.servlet;
  requires org.slf4j;

  exports dev.taskflow.dashboard;
}
