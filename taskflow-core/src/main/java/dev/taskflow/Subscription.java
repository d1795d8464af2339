package dev.taskflow;

/** A live event subscription; close it to stop receiving. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
