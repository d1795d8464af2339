package dev.taskflow;

/**
 * A job request broke a rule; nothing was written. The HTTP API maps it to 422 with {@link
 * #field()} as the JSON pointer and {@link #rule()} as the code.
 */
public class InvalidJobException extends TaskFlowException {
  private final String field;
  private final String rule;
  private final String jobType;

  /**
   * @param field the request field at fault, e.g. {@code priority} or {@code jobs/3/queue}
   * @param rule a short stable code, e.g. {@code range}, {@code pattern}, {@code unknown_type}
   * @param jobType the job type the request was for, or null when unknown
   * @param message a sentence naming the value and the rule
   */
  public InvalidJobException(String field, String rule, String jobType, String message) {
    super(message);
    this.field = field;
    this.rule = rule;
    this.jobType = jobType;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }

  public String jobType() {
    return jobType;
  }

  /** The same error, its field moved under a prefix (for batch items: {@code jobs/3/}). */
  public InvalidJobException under(String prefix) {
    return new InvalidJobException(prefix + field, rule, jobType, getMessage());
  }
}
