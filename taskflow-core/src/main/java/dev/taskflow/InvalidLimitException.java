package dev.taskflow;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link FlowLimit} broke one or more rules; nothing was stored. The HTTP API answers 422 with
 * one error per {@link #violations() violation}, its field as the JSON pointer.
 */
public class InvalidLimitException extends TaskFlowException {
  private final String limitName;
  private final List<FlowLimit.Violation> violations;

  public InvalidLimitException(String limitName, List<FlowLimit.Violation> violations) {
    super(
        "limit '"
            + limitName
            + "' is invalid: "
            + violations.stream()
                .map(FlowLimit.Violation::message)
                .collect(Collectors.joining("; ")));
    this.limitName = limitName;
    this.violations = List.copyOf(violations);
  }

  /** The name of the limit as given (may itself be the invalid part). */
  public String limitName() {
    return limitName;
  }

  public List<FlowLimit.Violation> violations() {
    return violations;
  }
}
