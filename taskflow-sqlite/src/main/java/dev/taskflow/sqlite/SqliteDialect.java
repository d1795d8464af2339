package dev.taskflow.sqlite;

import dev.taskflow.jdbc.SqlDialect;

/** SQLite's fragments: JSON1 functions; no row locks (one writer at a time). */
final class SqliteDialect implements SqlDialect {
  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public String jsonArrayAppend(String column, String value) {
    return "json_insert(" + column + ", '$[#]', json(" + value + "))";
  }

  @Override
  public String jsonArrayContains(String column) {
    return "EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE json_each.value = ?)";
  }
}
