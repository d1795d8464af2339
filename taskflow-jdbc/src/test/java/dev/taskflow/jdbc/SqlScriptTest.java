package dev.taskflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void statements_split_at_top_level_semicolons() {
    assertThat(SqlScript.split("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
  }

  @Test
  void a_last_statement_needs_no_semicolon_and_empty_statements_vanish() {
    assertThat(SqlScript.split(";;\n-- only a comment\n;\nSELECT 1")).containsExactly("SELECT 1");
  }

  @Test
  void semicolons_in_quotes_and_comments_do_not_split() {
    String sql =
        "INSERT INTO t VALUES ('a;b', 'it''s;'); -- a; comment\n"
            + "/* block; comment */ SELECT \"odd;name\" FROM t;";
    assertThat(SqlScript.split(sql))
        .containsExactly(
            "INSERT INTO t VALUES ('a;b', 'it''s;')",
            "-- a; comment\n/* block; comment */ SELECT \"odd;name\" FROM t");
  }

  @Test
  void a_trigger_body_stays_whole_even_with_case_expressions() {
    String trigger =
        "CREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n"
            + "  UPDATE c SET n = n + CASE WHEN NEW.x THEN 1 ELSE 0 END;\n"
            + "  DELETE FROM d;\n"
            + "END";
    assertThat(SqlScript.split(trigger + ";\nSELECT 1;")).containsExactly(trigger, "SELECT 1");
  }

  @Test
  void dollar_quoted_bodies_stay_whole() {
    String fn = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql";
    assertThat(SqlScript.split(fn + "; SELECT $1;")).containsExactly(fn, "SELECT $1");
  }
}
