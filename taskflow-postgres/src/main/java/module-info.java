/** The clustered store on PostgreSQL: SKIP LOCKED claims and LISTEN/NOTIFY wake-ups. */
module dev.taskflow.postgres {
  requires transitive dev.taskflow.jdbc;
  requires org.postgresql.jdbc;
  requires com.zaxxer.hikari;
  requires org.slf4j;

  exports dev.taskflow.postgres;
}
