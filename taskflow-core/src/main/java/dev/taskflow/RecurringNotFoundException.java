package dev.taskflow;

/** No recurring schedule has the id. The HTTP API answers 404. */
public class RecurringNotFoundException extends TaskFlowException {
  private final String scheduleId;

  public RecurringNotFoundException(String scheduleId) {
    super("no recurring schedule with id '" + scheduleId + "'");
    this.scheduleId = scheduleId;
  }

  public String scheduleId() {
    return scheduleId;
  }
}
