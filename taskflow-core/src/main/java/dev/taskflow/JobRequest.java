package dev.taskflow;

/**
 * A job to enqueue by type name and JSON arguments, the form the HTTP API and other languages use.
 *
 * @param type a registered job type
 * @param argsJson a JSON object as text ({@code "{}"} when null)
 * @param options the options, or null for defaults
 */
public record JobRequest(String type, String argsJson, EnqueueOptions options) {
  public JobRequest {
    argsJson = argsJson == null ? "{}" : argsJson;
    options = options == null ? EnqueueOptions.defaults() : options;
  }

  public static JobRequest of(String type, String argsJson) {
    return new JobRequest(type, argsJson, null);
  }
}
