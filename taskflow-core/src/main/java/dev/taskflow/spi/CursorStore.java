package dev.taskflow.spi;

/**
 * Durable cursors over the event log of a store: an optional feature, handed out by {@link
 * Storage#cursors()}. Work that must see every event once per cluster (webhook fan-out) reads
 * events after a cursor's position, builds its jobs and advances: of two processes that read the
 * same position, exactly one wins.
 */
public interface CursorStore {

  /**
   * The position of a cursor: the sequence of the last event its owner handled. A cursor that does
   * not exist yet is created at {@link Storage#eventLatestSeq()}, so a new cursor starts at the
   * current end of the log and sees only events appended afterwards; callers that create the same
   * cursor at once all get the one position stored.
   */
  long get(String name);

  /**
   * Atomically moves a cursor from {@code expectedPosition} to {@code newPosition} (compare and
   * set) and inserts the jobs as {@link Storage#jobInsertMany} does (unique keys, {@code
   * job.enqueued} or {@code job.scheduled} events; never refused by a queue's maximum depth), all
   * in one transaction.
   *
   * @return false, with nothing written, when the cursor is missing or not at {@code
   *     expectedPosition} (another process moved it: read it again)
   */
  boolean advance(CursorAdvanceParams params);
}
