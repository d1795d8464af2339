package dev.taskflow.dashboard;

import dev.taskflow.Recurring;
import dev.taskflow.RecurringInfo;
import dev.taskflow.RecurringSchedule;
import dev.taskflow.TaskFlowClient;
import dev.taskflow.dashboard.Views.Layout;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Recurring page: every schedule with its next fires, last run and state. */
public record RecurringView(Layout page, List<Row> schedules, boolean available) {

  /** One schedule as the page shows it. */
  public record Row(
      String id,
      String when,
      String zone,
      String jobType,
      String queue,
      List<Instant> nextFires,
      Instant lastFireAt,
      UUID lastJobId,
      long runs,
      String state,
      boolean paused) {}

  static RecurringView of(Layout page, TaskFlowClient client) {
    List<RecurringInfo> all;
    try {
      Recurring recurring = client.recurring();
      if (!recurring.supported()) return new RecurringView(page, List.of(), false);
      all = recurring.all();
    } catch (UnsupportedOperationException e) { // a client without schedules
      return new RecurringView(page, List.of(), false);
    }
    return new RecurringView(page, all.stream().map(RecurringView::row).toList(), true);
  }

  private static Row row(RecurringInfo r) {
    RecurringSchedule s = r.schedule();
    String when = s.cron() != null ? s.cron() : "every " + s.every();
    String queue = s.job().options().queue();
    return new Row(
        s.id(),
        when,
        s.zone().getId(),
        s.job().type(),
        queue == null ? "default" : queue,
        r.nextFires().stream().limit(3).toList(),
        r.lastFireAt(),
        r.lastJobId(),
        r.runs(),
        s.paused() ? "paused" : r.finished() ? "finished" : "active",
        s.paused());
  }
}
