package dev.taskflow.spi;

import java.util.List;

/**
 * @param jobs the jobs to insert atomically, in order
 */
public record JobInsertManyParams(List<NewJob> jobs, String serverId) {
  public JobInsertManyParams {
    jobs = List.copyOf(jobs);
  }
}
