package dev.taskflow.spi;

import java.util.List;

/**
 * A store that can insert jobs inside a transaction the caller owns, so that a job exists if and
 * only if the caller's transaction commits. For JDBC stores the transaction is a {@code
 * java.sql.Connection} with auto-commit off.
 */
public interface TransactionalStorage {
  /**
   * Like {@link Storage#jobInsertMany} but on the caller's transaction; does not commit.
   *
   * @throws IllegalArgumentException when {@code transaction} is not a kind this store accepts
   */
  List<InsertOutcome> jobInsertManyIn(Object transaction, JobInsertManyParams params);
}
