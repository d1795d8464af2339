package dev.taskflow.spi;

import dev.taskflow.JobFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A batch and its members, inserted in one transaction ({@link FlowStore#batchInsert}).
 *
 * @param batchId the new batch's id; every member carries it as its {@code batchId}
 * @param specJson the batch's {@link BatchSpec} as JSON (its callback job, if any, is inserted only
 *     when the batch finishes)
 * @param jobs the members, validated; they may depend on each other and on existing jobs
 * @param serverId the server inserting, for history
 */
public record BatchInsertParams(UUID batchId, String specJson, List<NewJob> jobs, String serverId) {
  public BatchInsertParams {
    jobs = List.copyOf(jobs);
  }

  /** The members with their batch id set, as the store inserts them. */
  public List<NewJob> members() {
    List<NewJob> out = new ArrayList<>(jobs.size());
    for (NewJob n : jobs) {
      JobFlow f = n.flow();
      out.add(
          n.withFlow(
              new JobFlow(
                  f.dependsOn(),
                  f.onParentFailure(),
                  batchId,
                  f.concurrencyKey(),
                  f.uniqueUntil(),
                  f.startBy())));
    }
    return out;
  }
}
