package dev.taskflow;

/** The base of every exception TaskFlow throws on purpose. */
public class TaskFlowException extends RuntimeException {
  public TaskFlowException(String message) {
    super(message);
  }

  public TaskFlowException(String message, Throwable cause) {
    super(message, cause);
  }
}
