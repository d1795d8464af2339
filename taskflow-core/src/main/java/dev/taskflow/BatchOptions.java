package dev.taskflow;

/**
 * How to enqueue a batch ({@link Batches#enqueue}): all optional.
 *
 * {@snippet :
 * BatchOptions options = BatchOptions.defaults()
 *     .description("import of customers.csv")
 *     .callback(JobRequest.of("import.report", "{\"file\":\"customers.csv\"}"));
 * }
 *
 * @param description free text shown with the batch, at most {@value Batches#MAX_DESCRIPTION}
 *     characters, or null
 * @param metadataJson a JSON object kept with the batch (at most {@value
 *     Batches#MAX_METADATA_BYTES} bytes), or null
 * @param callback a job enqueued once when every member has finished (completed, failed, cancelled
 *     or deleted), whatever the outcome; its args gain a {@code batch} field {@code {id, state,
 *     total, counts}}; or null
 */
public record BatchOptions(String description, String metadataJson, JobRequest callback) {

  public static BatchOptions defaults() {
    return new BatchOptions(null, null, null);
  }

  public BatchOptions description(String description) {
    return new BatchOptions(description, metadataJson, callback);
  }

  public BatchOptions metadata(String metadataJson) {
    return new BatchOptions(description, metadataJson, callback);
  }

  public BatchOptions callback(JobRequest callback) {
    return new BatchOptions(description, metadataJson, callback);
  }

  /** A callback job of a typed args record. */
  public BatchOptions callback(JobArgs args, EnqueueOptions options) {
    return callback(new JobRequest(args.type(), dev.taskflow.internal.Json.write(args), options));
  }
}
