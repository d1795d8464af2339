/** The store over JDBC shared by SQLite and PostgreSQL: SQL flow, dialects, migrations. */
module dev.taskflow.jdbc {
  requires transitive dev.taskflow.core;
  requires transitive java.sql;
  requires org.slf4j;

  exports dev.taskflow.jdbc;
}
