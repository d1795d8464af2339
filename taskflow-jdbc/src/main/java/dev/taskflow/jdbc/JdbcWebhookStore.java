package dev.taskflow.jdbc;

import dev.taskflow.Webhook;
import dev.taskflow.spi.WebhookListParams;
import dev.taskflow.spi.WebhookStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The webhooks of a {@link JdbcStorage}: {@link WebhookRows} in its transactions. */
final class JdbcWebhookStore implements WebhookStore {
  private final JdbcStorage store;

  JdbcWebhookStore(JdbcStorage store) {
    this.store = store;
  }

  @Override
  public void save(Webhook w) {
    store.write(
        () -> "webhookSave of webhook " + w.id(),
        c -> {
          WebhookRows.save(c, w);
          return null;
        });
  }

  @Override
  public Optional<Webhook> get(UUID id) {
    return store.read(() -> "webhookGet of webhook " + id, c -> WebhookRows.get(c, id));
  }

  @Override
  public List<Webhook> list(WebhookListParams p) {
    return store.read(() -> "webhookList after " + p.afterId(), c -> WebhookRows.list(c, p));
  }

  @Override
  public boolean delete(UUID id) {
    return store.write(() -> "webhookDelete of webhook " + id, c -> WebhookRows.delete(c, id));
  }
}
