package dev.taskflow.memory;

import dev.taskflow.Webhook;
import dev.taskflow.spi.WebhookListParams;
import dev.taskflow.spi.WebhookStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The webhooks of an {@link InMemoryStorage}, in its tables and under its lock. */
final class MemoryWebhookStore implements WebhookStore {
  private final InMemoryStorage store;

  MemoryWebhookStore(InMemoryStorage store) {
    this.store = store;
  }

  @Override
  public void save(Webhook webhook) {
    store.locked(() -> store.tables().webhooks.put(webhook.id(), webhook));
  }

  @Override
  public Optional<Webhook> get(UUID id) {
    return store.locked(() -> Optional.ofNullable(store.tables().webhooks.get(id)));
  }

  @Override
  public List<Webhook> list(WebhookListParams p) {
    return store.locked(
        () -> {
          var all = store.tables().webhooks;
          return (p.afterId() == null ? all : all.tailMap(p.afterId(), false))
              .values().stream().limit(p.limit()).toList();
        });
  }

  @Override
  public boolean delete(UUID id) {
    return store.locked(() -> store.tables().webhooks.remove(id) != null);
  }
}
