package dev.taskflow;

/**
 * The store failed or could not be reached. Stores wrap their driver's exceptions in this, once, at
 * the storage boundary. The engine backs off and resumes; the HTTP API answers 503.
 */
public class StorageException extends TaskFlowException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
