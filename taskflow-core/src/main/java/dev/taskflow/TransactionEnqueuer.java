package dev.taskflow;

import java.util.List;

/**
 * Enqueues inside a transaction the caller owns: the jobs exist if and only if that transaction
 * commits; see {@link TaskFlow#inTransaction(Object)}.
 */
public interface TransactionEnqueuer {

  /** Enqueues one job in the transaction. */
  EnqueueResult enqueue(JobArgs args, EnqueueOptions options);

  /** Enqueues many jobs in the transaction, validated as {@link TaskFlowClient#enqueueAll}. */
  List<EnqueueResult> enqueueAll(List<JobRequest> requests);
}
