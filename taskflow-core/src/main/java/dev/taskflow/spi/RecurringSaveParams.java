package dev.taskflow.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Inserts a schedule or replaces its definition, paused flag and next fire time; its runs, last
 * fire and creation time are kept. The store sets {@code createdAt} (on insert) and {@code
 * updatedAt} to its now.
 *
 * @param id the schedule's id
 * @param specJson the definition as a JSON object
 * @param paused whether it is paused
 * @param nextFireAt the next fire time, or null when it fires no more
 */
public record RecurringSaveParams(String id, String specJson, boolean paused, Instant nextFireAt) {
  public RecurringSaveParams {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(specJson, "specJson");
  }
}
