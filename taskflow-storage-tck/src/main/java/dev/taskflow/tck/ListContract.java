package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Job;
import dev.taskflow.JobState;
import dev.taskflow.spi.JobChangeStateParams.Action;
import dev.taskflow.spi.JobListParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing jobs: newest first, filters, and keyset pages. */
public interface ListContract extends TckSupport {

  private List<UUID> list(JobListParams p) {
    return store().jobList(p).stream().map(Job::id).toList();
  }

  private static JobListParams all(int limit) {
    return new JobListParams(Set.of(), null, null, null, null, null, limit);
  }

  @Test
  default void jobs_are_listed_newest_first() {
    List<UUID> ids = insertN(5, s -> s).stream().map(Job::id).toList();

    assertThat(list(all(100))).containsExactlyElementsOf(ids.reversed());
    assertThat(list(all(2))).containsExactly(ids.get(4), ids.get(3));
  }

  @Test
  default void the_listing_filters_by_state_type_queue_owner_and_tag() {
    Job a = insert(job().type("t.a").queue("q1").owner("alice").tags("red", "big"));
    Job b = insert(job().type("t.b").queue("q2").owner("bob").tags("red"));
    Job c = insert(job().type("t.a").queue("q2").owner("alice").delay(Duration.ofHours(1)));
    Job d = insert(job().type("t.b").queue("q1"));
    change(d.id(), Action.CANCEL);

    assertThat(list(new JobListParams(Set.of(JobState.ENQUEUED), null, null, null, null, null, 50)))
        .containsExactly(b.id(), a.id());
    assertThat(
            list(
                new JobListParams(
                    Set.of(JobState.SCHEDULED, JobState.CANCELLED),
                    null,
                    null,
                    null,
                    null,
                    null,
                    50)))
        .containsExactly(d.id(), c.id());
    assertThat(list(new JobListParams(Set.of(), "t.a", null, null, null, null, 50)))
        .containsExactly(c.id(), a.id());
    assertThat(list(new JobListParams(Set.of(), null, "q1", null, null, null, 50)))
        .containsExactly(d.id(), a.id());
    assertThat(list(new JobListParams(Set.of(), null, null, "alice", null, null, 50)))
        .containsExactly(c.id(), a.id());
    assertThat(list(new JobListParams(Set.of(), null, null, null, "red", null, 50)))
        .containsExactly(b.id(), a.id());
    assertThat(list(new JobListParams(Set.of(), null, null, null, "re", null, 50)))
        .as("a tag matches whole, not by prefix")
        .isEmpty();
    assertThat(list(new JobListParams(Set.of(), "t.a", "q2", "alice", null, null, 50)))
        .containsExactly(c.id());
    assertThat(list(new JobListParams(Set.of(), "t.none", null, null, null, null, 50))).isEmpty();
  }

  @Test
  default void deleted_jobs_are_listed_only_when_asked_for() {
    Job kept = insert(job());
    Job gone = insert(job());
    change(gone.id(), Action.DELETE);

    assertThat(list(all(50))).containsExactly(kept.id());
    assertThat(list(new JobListParams(Set.of(JobState.DELETED), null, null, null, null, null, 50)))
        .containsExactly(gone.id());
  }

  @Test
  default void keyset_pages_cover_every_job_exactly_once_in_order() {
    // the TCK's ids grow with each insert, so newest first is the reverse of insertion order
    List<UUID> newestFirst = insertN(53, s -> s).stream().map(Job::id).toList().reversed();

    List<UUID> seen = new ArrayList<>();
    UUID before = null;
    int pages = 0;
    while (true) {
      List<UUID> page = list(new JobListParams(Set.of(), null, null, null, null, before, 10));
      pages++;
      seen.addAll(page);
      if (page.size() < 10) break;
      before = page.get(page.size() - 1);
    }

    assertThat(pages).isEqualTo(6);
    assertThat(new HashSet<>(seen)).hasSize(53);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
  }

  @Test
  default void keyset_pages_with_a_filter_skip_the_other_jobs() {
    List<UUID> owned = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Job j = insert(job().owner(i % 3 == 0 ? "carol" : "dave"));
      if (i % 3 == 0) owned.add(0, j.id());
    }

    List<UUID> seen = new ArrayList<>();
    UUID before = null;
    while (true) {
      List<UUID> page = list(new JobListParams(Set.of(), null, null, "carol", null, before, 4));
      seen.addAll(page);
      if (page.size() < 4) break;
      before = page.get(page.size() - 1);
    }

    assertThat(seen).containsExactlyElementsOf(owned);
  }

  @Test
  default void a_cursor_id_that_no_longer_exists_still_pages_correctly() {
    List<Job> jobs = insertN(6, s -> s);
    UUID missing = newId(); // newer than all, never inserted

    assertThat(list(new JobListParams(Set.of(), null, null, null, null, missing, 50))).hasSize(6);
    assertThat(list(new JobListParams(Set.of(), null, null, null, null, jobs.get(3).id(), 50)))
        .containsExactly(jobs.get(2).id(), jobs.get(1).id(), jobs.get(0).id());
  }

  @Test
  default void the_listing_filters_by_created_between_with_an_inclusive_start_and_exclusive_end() {
    Job early = insert(job());
    clock().advance(Duration.ofMinutes(1));
    Job middle = insert(job());
    clock().advance(Duration.ofMinutes(1));
    Job late = insert(job());
    Instant from = middle.createdAt();
    Instant until = late.createdAt();

    assertThat(list(created(from, null))).containsExactly(late.id(), middle.id());
    assertThat(list(created(null, until))).containsExactly(middle.id(), early.id());
    assertThat(list(created(from, until))).containsExactly(middle.id());
    assertThat(list(created(until.plusMillis(1), null))).isEmpty();
  }

  @Test
  default void the_listing_finds_jobs_by_text_in_their_args_ignoring_ascii_case() {
    Job invoice = insert(job().args("{\"subject\":\"Invoice 42 for ACME\"}"));
    Job other = insert(job().args("{\"subject\":\"welcome mail\"}"));
    Job literal = insert(job().args("{\"pattern\":\"50%_off\"}"));

    assertThat(list(text("acme"))).containsExactly(invoice.id());
    assertThat(list(text("INVOICE 42"))).containsExactly(invoice.id());
    assertThat(list(text("mail"))).containsExactly(other.id());
    assertThat(list(text("subject")))
        .as("keys are text too")
        .containsExactly(other.id(), invoice.id());
    assertThat(list(text("%_"))).as("%% and _ match themselves").containsExactly(literal.id());
    assertThat(list(text("0%"))).containsExactly(literal.id());
    assertThat(list(text("nowhere"))).isEmpty();
  }

  @Test
  default void text_search_pages_with_the_keyset_and_combines_with_other_filters() {
    List<UUID> hits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      boolean hit = i % 2 == 0;
      Job j =
          insert(job().owner("erin").args(hit ? "{\"word\":\"needle\"}" : "{\"word\":\"hay\"}"));
      if (hit) hits.add(0, j.id());
    }
    insert(job().owner("frank").args("{\"word\":\"needle\"}"));

    List<UUID> seen = new ArrayList<>();
    UUID before = null;
    while (true) {
      List<UUID> page =
          list(
              new JobListParams(
                  Set.of(), null, null, "erin", null, before, 4, null, null, "needle"));
      seen.addAll(page);
      if (page.size() < 4) break;
      before = page.get(page.size() - 1);
    }

    assertThat(seen).containsExactlyElementsOf(hits);
  }

  private static JobListParams created(Instant after, Instant before) {
    return new JobListParams(Set.of(), null, null, null, null, null, 50, after, before, null);
  }

  private static JobListParams text(String text) {
    return new JobListParams(Set.of(), null, null, null, null, null, 50, null, null, text);
  }
}
