package dev.taskflow;

import dev.taskflow.internal.Ids;
import dev.taskflow.spi.Storage;
import dev.taskflow.spi.WebhookListParams;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhook registrations kept in the store. It keeps and finds them; checking URLs (SSRF),
 * patterns and headers, and delivering, is the webhook plugin's job ({@code taskflow-webhooks}).
 *
 * {@snippet :
 * Webhook hook = taskflow.webhooks().create(
 *     "https://example.com/hooks/taskflow", List.of("job.failed"), null, null, null, Map.of());
 * String secret = hook.secrets().getFirst(); // whsec_…, shown once to the user
 * }
 */
public final class Webhooks {
  /** The random bytes of a signing secret (Standard Webhooks asks for 24 to 64). */
  public static final int SECRET_BYTES = 32;

  public static final String SECRET_PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final Clock clock;

  Webhooks(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Registers an active webhook with a new signing secret. */
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
            List.of(newSecret()),
            now,
            now);
    storage.webhookSave(w);
    return w;
  }

  public Optional<Webhook> get(UUID id) {
    return storage.webhookGet(id);
  }

  /**
   * Webhooks in id order after {@code afterId} (null: from the first), at most {@code limit}.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..1000
   */
  public List<Webhook> list(UUID afterId, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("webhook list limit must be 1..1000, was " + limit);
    }
    return storage.webhookList(new WebhookListParams(afterId, limit));
  }

  /** Every webhook (for matching events). */
  public List<Webhook> all() {
    List<Webhook> out = new ArrayList<>();
    UUID after = null;
    while (true) {
      List<Webhook> page = list(after, 1000);
      out.addAll(page);
      if (page.size() < 1000) return out;
      after = page.getLast().id();
    }
  }

  /**
   * Stores a changed webhook (its id, secrets and creation time as they were); returns it as
   * stored.
   *
   * @throws WebhookNotFoundException when no webhook has its id
   */
  public Webhook update(Webhook changed) {
    Webhook old = require(changed.id());
    Webhook w =
        new Webhook(
            old.id(),
            changed.url(),
            changed.events(),
            changed.queue(),
            changed.jobType(),
            changed.owner(),
            changed.headers(),
            changed.active(),
            changed.active() ? null : changed.disabledReason(),
            old.secrets(),
            old.createdAt(),
            storage.now());
    storage.webhookSave(w);
    return w;
  }

  /**
   * Switches a webhook off and says why (e.g. the receiver answered {@code 410 Gone}); a no-op when
   * it is gone already.
   */
  public void disable(UUID id, String reason) {
    get(id)
        .ifPresent(
            old ->
                storage.webhookSave(
                    new Webhook(
                        old.id(),
                        old.url(),
                        old.events(),
                        old.queue(),
                        old.jobType(),
                        old.owner(),
                        old.headers(),
                        false,
                        reason,
                        old.secrets(),
                        old.createdAt(),
                        storage.now())));
  }

  /**
   * Gives a webhook a new signing secret. With {@code keepPrevious}, the newest old secret stays
   * and deliveries are signed with both until the next rotation, so receivers can switch without a
   * gap.
   *
   * @return the webhook with the new secret first
   * @throws WebhookNotFoundException when no webhook has the id
   */
  public Webhook rotateSecret(UUID id, boolean keepPrevious) {
    Webhook old = require(id);
    List<String> secrets = new ArrayList<>();
    secrets.add(newSecret());
    if (keepPrevious && !old.secrets().isEmpty()) secrets.add(old.secrets().getFirst());
    Webhook w =
        new Webhook(
            old.id(),
            old.url(),
            old.events(),
            old.queue(),
            old.jobType(),
            old.owner(),
            old.headers(),
            old.active(),
            old.disabledReason(),
            secrets,
            old.createdAt(),
            storage.now());
    storage.webhookSave(w);
    return w;
  }

  /** Removes a webhook; false when none had the id. */
  public boolean delete(UUID id) {
    return storage.webhookDelete(id);
  }

  /** A new secret: {@code whsec_} and the base64 of {@link #SECRET_BYTES} random bytes. */
  public static String newSecret() {
    byte[] key = new byte[SECRET_BYTES];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  private Webhook require(UUID id) {
    return get(id).orElseThrow(() -> new WebhookNotFoundException(id));
  }
}
