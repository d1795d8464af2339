package dev.taskflow.spi;

import dev.taskflow.Webhook;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhook registrations of a store: an optional feature, handed out by {@link
 * Storage#webhooks()}. Checking URLs and delivering is the HTTP layer's job; the store keeps the
 * registrations as given. The rules of {@link Storage} (errors, one clock) apply.
 */
public interface WebhookStore {

  /**
   * Inserts or replaces a webhook registration (matched by id), as given: the caller sets its
   * times.
   */
  void save(Webhook webhook);

  Optional<Webhook> get(UUID id);

  /** Webhooks in id order after {@code afterId}, at most {@code limit}. */
  List<Webhook> list(WebhookListParams params);

  /** Removes a webhook; false when none had the id. */
  boolean delete(UUID id);
}
