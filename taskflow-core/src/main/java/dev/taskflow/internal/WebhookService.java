package dev.taskflow.internal;

import dev.taskflow.FeatureUnsupportedException;
import dev.taskflow.Page;
import dev.taskflow.Webhook;
import dev.taskflow.WebhookNotFoundException;
import dev.taskflow.Webhooks;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.StorageFeature;
import dev.taskflow.spi.WebhookListParams;
import dev.taskflow.spi.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The store-backed {@link Webhooks}. */
public final class WebhookService implements Webhooks {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final Clock clock;

  public WebhookService(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /**
   * Whether the store keeps webhooks. When it does not, every other method here throws {@link
   * FeatureUnsupportedException}.
   */
  @Override
  public boolean supported() {
    return StorageFeature.WEBHOOKS.isIn(storage);
  }

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  @Override
  public Webhooks requireSupported() {
    store();
    return this;
  }

  private WebhookStore store() {
    return storage.webhooks().orElseThrow(() -> StorageFeature.WEBHOOKS.missingIn(storage));
  }

  /** Registers an active webhook with a new signing secret. */
  @Override
  public Webhook create(
      String url,
      List<String> events,
      String queue,
      String jobType,
      String owner,
      Map<String, String> headers) {
    var now = storage.now();
    Webhook w =
        new Webhook(
            Ids.uuidV7(clock),
            url,
            events,
            queue,
            jobType,
            owner,
            headers,
            true,
            null,
            List.of(Webhooks.newSecret()),
            now,
            now);
    store().save(w);
    return w;
  }

  @Override
  public Optional<Webhook> get(UUID id) {
    return store().get(id);
  }

  /**
   * Webhooks in id order after {@code afterId} (null: from the first), at most {@code limit}.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..1000
   */
  @Override
  public Page<Webhook> list(UUID afterId, int limit) {
    requireSupported();
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("webhook list limit must be 1..1000, was " + limit);
    }
    List<Webhook> items = store().list(new WebhookListParams(afterId, limit));
    return new Page<>(items, items.size() == limit ? items.getLast().id().toString() : null);
  }

  /** Every webhook (for matching events). */
  @Override
  public List<Webhook> all() {
    List<Webhook> out = new ArrayList<>();
    UUID after = null;
    while (true) {
      Page<Webhook> page = list(after, 1000);
      out.addAll(page.items());
      if (!page.hasNext()) return out;
      after = page.items().getLast().id();
    }
  }

  /**
   * Stores a changed webhook (its id, secrets and creation time as they were); returns it as
   * stored.
   *
   * @throws WebhookNotFoundException when no webhook has its id
   */
  @Override
  public Webhook update(Webhook changed) {
    Webhook old = require(changed.id());
    return resave(
        old,
        changed,
        changed.active(),
        changed.active() ? null : changed.disabledReason(),
        old.secrets());
  }

  /**
   * Switches a webhook off and says why (e.g. the receiver answered {@code 410 Gone}); a no-op when
   * it is gone already.
   */
  @Override
  public void disable(UUID id, String reason) {
    get(id).ifPresent(old -> resave(old, old, false, reason, old.secrets()));
  }

  /**
   * Gives a webhook a new signing secret. With {@code keepPrevious}, the newest old secret stays
   * and deliveries are signed with both until the next rotation, so receivers can switch without a
   * gap.
   *
   * @return the webhook with the new secret first
   * @throws WebhookNotFoundException when no webhook has the id
   */
  @Override
  public Webhook rotateSecret(UUID id, boolean keepPrevious) {
    Webhook old = require(id);
    List<String> secrets = new ArrayList<>();
    secrets.add(Webhooks.newSecret());
    if (keepPrevious && !old.secrets().isEmpty()) secrets.add(old.secrets().getFirst());
    return resave(old, old, old.active(), old.disabledReason(), secrets);
  }

  /** Removes a webhook; false when none had the id. */
  @Override
  public boolean delete(UUID id) {
    return store().delete(id);
  }

  /**
   * Saves {@code settings}' url, events, filters and headers under {@code old}'s id and creation
   * time, with the given state and secrets, updated now; returns the webhook as stored.
   */
  private Webhook resave(
      Webhook old, Webhook settings, boolean active, String disabledReason, List<String> secrets) {
    Webhook w =
        new Webhook(
            old.id(),
            settings.url(),
            settings.events(),
            settings.queue(),
            settings.jobType(),
            settings.owner(),
            settings.headers(),
            active,
            disabledReason,
            secrets,
            old.createdAt(),
            storage.now());
    store().save(w);
    return w;
  }

  private Webhook require(UUID id) {
    return get(id).orElseThrow(() -> new WebhookNotFoundException(id));
  }
}
