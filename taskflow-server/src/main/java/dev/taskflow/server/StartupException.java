package dev.taskflow.server;

/** A server or worker could not start; the message says why and what to do (exit code 1). */
final class StartupException extends Exception {
  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
