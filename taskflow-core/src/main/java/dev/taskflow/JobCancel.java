package dev.taskflow;

/** Thrown by a worker to stop the job for good: it ends {@code cancelled}, with no retry. */
public final class JobCancel extends RuntimeException {
  public JobCancel(String reason) {
    super(reason, null, false, false);
  }

  public static JobCancel because(String reason) {
    return new JobCancel(reason);
  }
}
