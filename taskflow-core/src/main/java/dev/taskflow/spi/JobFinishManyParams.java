package dev.taskflow.spi;

import java.util.List;

/**
 * @param outcomes attempt outcomes to record in one batch
 */
public record JobFinishManyParams(List<JobFinish> outcomes) {
  public JobFinishManyParams {
    outcomes = List.copyOf(outcomes);
  }
}
