package dev.taskflow.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema serves every hot query from an index: no query of the claim, promotion, rescue,
 * retention or unique-key paths scans the jobs table or sorts it. The statements mirror the ones
 * the JDBC store issues.
 */
class SqliteQueryPlanTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void migrate() {
    file = dir.resolve("plan.db");
    SqliteStorage.open(file).close();
  }

  private String plan(String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) lines.add(rs.getString("detail"));
    }
    return String.join("\n", lines);
  }

  @Test
  void claims_read_the_ready_index_in_claim_order() throws SQLException {
    String p =
        plan(
            "SELECT id, priority, scheduled_at FROM taskflow_jobs WHERE state = 'enqueued'"
                + " AND queue = 'q' AND type IN ('a', 'b')"
                + " ORDER BY priority DESC, scheduled_at, id LIMIT 10");
    assertThat(p)
        .contains("COVERING INDEX taskflow_jobs_ready (queue=?)")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void a_queue_position_counts_on_the_ready_index() throws SQLException {
    String ahead =
        "(SELECT count(*) FROM taskflow_jobs o WHERE o.state = 'enqueued' AND o.queue = j.queue"
            + " AND ";
    String p =
        plan(
            "SELECT j.state, "
                + ahead
                + "o.priority > j.priority) + "
                + ahead
                + "o.priority = j.priority AND (o.scheduled_at, o.id) < (j.scheduled_at, j.id))"
                + " FROM taskflow_jobs j WHERE j.id = 'x'");
    assertThat(p)
        .contains("taskflow_jobs_ready (queue=? AND priority>?)")
        .contains("taskflow_jobs_ready (queue=? AND priority=? AND scheduled_at<?)");
  }

  @Test
  void a_fenced_batch_update_finds_each_row_by_id() throws SQLException {
    String p =
        plan(
            "UPDATE taskflow_jobs SET state = 'completed' FROM (VALUES ('a', 1, 's'), ('b', 1,"
                + " 's')) AS v WHERE taskflow_jobs.id = v.column1 AND taskflow_jobs.attempt ="
                + " v.column2 AND taskflow_jobs.lease_owner = v.column3 AND taskflow_jobs.state"
                + " = 'processing' RETURNING taskflow_jobs.id");
    assertThat(p).contains("SEARCH taskflow_jobs USING INDEX sqlite_autoindex_taskflow_jobs_1");
  }

  @Test
  void promotion_rescue_and_retention_use_their_partial_indexes() throws SQLException {
    assertThat(
            plan(
                "SELECT id FROM taskflow_jobs WHERE state = 'scheduled' AND scheduled_at <= 5"
                    + " ORDER BY scheduled_at, id LIMIT 10"))
        .contains("taskflow_jobs_due")
        .doesNotContain("TEMP B-TREE");
    assertThat(
            plan(
                "SELECT id FROM taskflow_jobs WHERE state = 'processing' AND lease_expires_at < 5"
                    + " ORDER BY lease_expires_at, id LIMIT 10"))
        .contains("taskflow_jobs_leases")
        .doesNotContain("TEMP B-TREE");
    assertThat(
            plan(
                "SELECT id FROM taskflow_jobs WHERE state = 'completed' AND finished_at < 5"
                    + " ORDER BY finished_at LIMIT 10"))
        .contains("taskflow_jobs_finished")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void unique_keys_and_a_jobs_events_are_found_by_index() throws SQLException {
    assertThat(
            plan(
                "SELECT id FROM taskflow_jobs WHERE unique_key IN ('k')"
                    + " AND state NOT IN ('completed', 'failed', 'cancelled', 'deleted')"))
        .contains("taskflow_jobs_unique_live");
    assertThat(plan("SELECT seq FROM taskflow_events WHERE seq > 0 AND job_id = 'x' ORDER BY seq"))
        .contains("taskflow_events_job")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void the_holders_of_unique_keys_are_found_by_seeks_on_both_unique_indexes() throws SQLException {
    String byKey = "SELECT id FROM taskflow_jobs WHERE unique_key IN ('k', 'l')";
    String p =
        plan(
            byKey
                + " AND state NOT IN ('completed', 'failed', 'cancelled', 'deleted')"
                + " UNION ALL "
                + byKey
                + " AND unique_until IS NOT NULL AND unique_until > 5");
    assertThat(p)
        .contains("taskflow_jobs_unique_live")
        .contains("taskflow_jobs_unique_period")
        .doesNotContain("SCAN taskflow_jobs");
  }

  @Test
  void a_rate_limit_reads_and_prunes_only_the_starts_on_its_side_of_the_window()
      throws SQLException {
    assertThat(
            plan(
                "SELECT bucket, count(*) FROM taskflow_rate_log WHERE limit_name = 'l'"
                    + " AND at > 5 GROUP BY bucket"))
        .contains("COVERING INDEX taskflow_rate_log_window (limit_name=? AND at>?)");
    assertThat(plan("DELETE FROM taskflow_rate_log WHERE limit_name = 'l' AND at <= 5"))
        .contains("taskflow_rate_log_window (limit_name=? AND at<?)");
  }

  @Test
  void a_limited_claim_ranks_the_queue_from_the_limited_index_without_scanning_the_jobs_table()
      throws SQLException {
    String order = "priority DESC, scheduled_at, id";
    for (boolean ownerFair : new boolean[] {false, true}) {
      String p =
          plan(
              "SELECT id, type, owner, concurrency_key, CASE WHEN started_at IS NULL THEN"
                  + " start_by END FROM (SELECT id, type, owner, concurrency_key, priority,"
                  + " scheduled_at, start_by, started_at, row_number() OVER (PARTITION BY owner,"
                  + " type, concurrency_key ORDER BY "
                  + order
                  + ") AS rn_part"
                  + (ownerFair
                      ? ", row_number() OVER (PARTITION BY owner ORDER BY "
                          + order
                          + ") AS rn_owner"
                      : "")
                  + " FROM taskflow_jobs WHERE state = 'enqueued' AND queue = 'q'"
                  + " AND type IN ('a', 'b')) AS c WHERE rn_part <= 10 ORDER BY "
                  + (ownerFair ? "rn_owner, " : "")
                  + order
                  + " LIMIT 256");
      assertThat(p)
          .as("owner-fair: %s", ownerFair)
          .contains("taskflow_jobs_limited (queue=?)")
          .doesNotContain("SCAN taskflow_jobs");
    }
  }

  @Test
  void the_oldest_ready_job_is_found_by_index_seeks() throws SQLException {
    String enq = " FROM taskflow_jobs WHERE state = 'enqueued' AND queue = 'q'";
    String p =
        plan(
            "WITH RECURSIVE p(pr) AS (SELECT max(priority)"
                + enq
                + " UNION ALL SELECT (SELECT max(priority)"
                + enq
                + " AND priority < p.pr) FROM p WHERE p.pr IS NOT NULL)"
                + " SELECT min((SELECT min(scheduled_at)"
                + enq
                + " AND priority = p.pr)) FROM p WHERE p.pr IS NOT NULL");
    assertThat(p).contains("taskflow_jobs_ready").doesNotContain("SCAN taskflow_jobs");
  }
}
