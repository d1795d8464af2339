package dev.taskflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void a_postgres_url_becomes_a_jdbc_url_with_its_user_password_and_schema() {
    PostgresUrl u = PostgresUrl.parse("postgres://app:s%40cret@db.example:6543/jobs?schema=tf");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/jobs");
    assertThat(u.user()).isEqualTo("app");
    assertThat(u.password()).isEqualTo("s@cret");
    assertThat(u.schema()).isEqualTo("tf");
  }

  @Test
  void postgresql_scheme_default_port_and_driver_parameters_pass_through() {
    PostgresUrl u = PostgresUrl.parse("postgresql://app@localhost/jobs?sslmode=require&poolSize=4");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/jobs?sslmode=require");
    assertThat(u.password()).isNull();
    assertThat(u.schema()).isNull();
    assertThat(u.poolSize()).isEqualTo(4);
  }

  @Test
  void a_jdbc_url_keeps_its_parameters_but_loses_the_schema() {
    PostgresUrl u =
        PostgresUrl.parse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&schema=work_1");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    assertThat(u.schema()).isEqualTo("work_1");
  }

  @Test
  void bad_urls_are_refused_with_the_reason_and_without_the_password() {
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PostgreSQL URL");
    assertThatThrownBy(() -> PostgresUrl.parse("postgres://u:topsecret@host:5432/"))
        .hasMessageContaining("names no database")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> PostgresUrl.parse("postgres://u@host/db?schema=Bad-Name"))
        .hasMessageContaining("schema 'Bad-Name'");
    assertThatThrownBy(() -> PostgresUrl.parse("postgres://u@host/db?poolSize=0"))
        .hasMessageContaining("poolSize '0'");
  }

  @Test
  void redact_hides_passwords_in_both_forms() {
    assertThat(PostgresUrl.redact("postgres://u:pw@h/db")).isEqualTo("postgres://u:***@h/db");
    assertThat(PostgresUrl.redact("jdbc:postgresql://h/db?user=u&password=pw&x=1"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&x=1");
  }
}
