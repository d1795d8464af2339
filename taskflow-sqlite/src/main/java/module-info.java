/** The embedded default store on SQLite. */
module dev.taskflow.sqlite {
  requires transitive dev.taskflow.jdbc;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports dev.taskflow.sqlite;
}
