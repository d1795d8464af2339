package dev.taskflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskflow.StorageException;
import dev.taskflow.jdbc.MigrationRunner.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration runner against a real database: a SQLite file. */
class MigrationRunnerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String FOLDER = "/dev/taskflow/jdbc/testmigrations";

  /** SQLite as the runner sees it: a name, no migration lock; it writes no JSON. */
  private static final SqlDialect DIALECT =
      new SqlDialect() {
        @Override
        public String name() {
          return "sqlite";
        }

        @Override
        public String jsonArrayAppend(String column, String value) {
          throw new UnsupportedOperationException("migrations write no JSON");
        }

        @Override
        public String jsonArrayContains(String column) {
          throw new UnsupportedOperationException("migrations read no JSON");
        }
      };

  @TempDir Path dir;
  private Connection c;

  @BeforeEach
  void connect() throws SQLException {
    c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
    c.setAutoCommit(false);
  }

  @AfterEach
  void disconnect() throws SQLException {
    c.close();
  }

  private int migrate(MigrationRunner runner) throws SQLException {
    try {
      int n = runner.migrate(c);
      c.commit();
      return n;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  private MigrationRunner fromClasspath() {
    return MigrationRunner.fromClasspath(MigrationRunnerTest.class, FOLDER, DIALECT, CLOCK);
  }

  private List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  @Test
  void pending_migrations_are_applied_in_order_and_recorded_with_their_checksums()
      throws SQLException {
    MigrationRunner runner = fromClasspath();

    assertThat(migrate(runner)).isEqualTo(2);

    assertThat(
            query("SELECT version || ' ' || name || ' ' || checksum FROM taskflow_schema_history"))
        .containsExactly(
            "1 V1__create_notes.sql " + runner.migrations().get(0).checksum(),
            "2 V2__add_counter_trigger.sql " + runner.migrations().get(1).checksum());
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO notes (body) VALUES ('x')");
    }
    assertThat(query("SELECT n FROM note_count")).containsExactly("1");
    assertThat(query("SELECT body FROM notes")).containsExactly("x");
  }

  @Test
  void a_second_run_applies_nothing() throws SQLException {
    migrate(fromClasspath());

    assertThat(migrate(fromClasspath())).isZero();
    assertThat(query("SELECT count(*) FROM taskflow_schema_history")).containsExactly("2");
  }

  @Test
  void only_the_new_migrations_run_on_an_older_schema() throws SQLException {
    List<Migration> all = fromClasspath().migrations();
    migrate(new MigrationRunner(all.subList(0, 1), DIALECT, CLOCK));

    assertThat(migrate(new MigrationRunner(all, DIALECT, CLOCK))).isEqualTo(1);
    assertThat(query("SELECT version FROM taskflow_schema_history")).containsExactly("1", "2");
  }

  @Test
  void a_migration_changed_after_it_was_applied_is_refused_with_both_checksums()
      throws SQLException {
    List<Migration> all = fromClasspath().migrations();
    migrate(new MigrationRunner(all, DIALECT, CLOCK));
    Migration edited =
        Migration.of("V2__add_counter_trigger.sql", all.get(1).sql() + "\n-- an edit\n");

    assertThatThrownBy(
            () -> migrate(new MigrationRunner(List.of(all.get(0), edited), DIALECT, CLOCK)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("V2__add_counter_trigger.sql was changed after it was applied")
        .hasMessageContaining(all.get(1).checksum())
        .hasMessageContaining(edited.checksum());
  }

  @Test
  void a_database_newer_than_the_known_migrations_is_refused() throws SQLException {
    List<Migration> all = fromClasspath().migrations();
    migrate(new MigrationRunner(all, DIALECT, CLOCK));

    assertThatThrownBy(() -> migrate(new MigrationRunner(all.subList(0, 1), DIALECT, CLOCK)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version 2")
        .hasMessageContaining("knows migrations up to version 1");
  }

  @Test
  void a_failing_migration_leaves_the_schema_as_it_was() throws SQLException {
    Migration good = fromClasspath().migrations().get(0);
    Migration bad = Migration.of("V2__broken.sql", "CREATE TABLE more (x INT);\nNOT SQL AT ALL;");

    assertThatThrownBy(() -> migrate(new MigrationRunner(List.of(good, bad), DIALECT, CLOCK)))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("migration V2__broken.sql failed");

    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .isEmpty();
  }

  @Test
  void migrations_must_be_numbered_from_one_without_gaps() {
    Migration v1 = Migration.of("V1__a.sql", "SELECT 1;");
    Migration v3 = Migration.of("V3__c.sql", "SELECT 1;");

    assertThatThrownBy(() -> new MigrationRunner(List.of(v1, v3), DIALECT, CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 2 holds V3__c.sql");
    assertThatThrownBy(() -> Migration.of("init.sql", "SELECT 1;"))
        .hasMessageContaining("'init.sql' must look like V1__description.sql");
  }

  @Test
  void checksums_do_not_depend_on_line_endings() {
    assertThat(Migration.of("V1__a.sql", "SELECT 1;\r\nSELECT 2;\r\n").checksum())
        .isEqualTo(Migration.of("V1__a.sql", "SELECT 1;\nSELECT 2;\n").checksum());
  }

  @Test
  void a_missing_index_names_the_resource() {
    assertThatThrownBy(
            () ->
                MigrationRunner.fromClasspath(
                    MigrationRunnerTest.class, "/nowhere", DIALECT, CLOCK))
        .hasMessageContaining("/nowhere/index.txt");
  }
}
