package dev.taskflow;

import java.security.SecureRandom;
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
public interface Webhooks {
  /** The random bytes of a signing secret (Standard Webhooks asks for 24 to 64). */
  int SECRET_BYTES = 32;

  String SECRET_PREFIX = "whsec_";

  /**
   * Whether the store keeps webhooks. When it does not, every other method here throws {@link
   * FeatureUnsupportedException}.
   */
  boolean supported();

  /**
   * Returns this when the store keeps the feature, else throws: for a caller that checks input of
   * its own first, so that it refuses a store without the feature before anything else (the HTTP
   * API answers 501 before it reads a body).
   *
   * @throws FeatureUnsupportedException when {@link #supported()} is false
   */
  Webhooks requireSupported();

  /** Registers an active webhook with a new signing secret. */
  Webhook create(
      String url,
      List<String> events,
      String queue,
      String jobType,
      String owner,
      Map<String, String> headers);

  Optional<Webhook> get(UUID id);

  /**
   * Webhooks in id order after {@code afterId} (null: from the first), at most {@code limit}; a
   * full page names its last id as the next cursor.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1..1000
   */
  Page<Webhook> list(UUID afterId, int limit);

  /** Every webhook (for matching events). */
  List<Webhook> all();

  /**
   * Stores a changed webhook (its id, secrets and creation time as they were); returns it as
   * stored.
   *
   * @throws WebhookNotFoundException when no webhook has its id
   */
  Webhook update(Webhook changed);

  /**
   * Switches a webhook off and says why (e.g. the receiver answered {@code 410 Gone}); a no-op when
   * it is gone already.
   */
  void disable(UUID id, String reason);

  /**
   * Gives a webhook a new signing secret. With {@code keepPrevious}, the newest old secret stays
   * and deliveries are signed with both until the next rotation, so receivers can switch without a
   * gap.
   *
   * @return the webhook with the new secret first
   * @throws WebhookNotFoundException when no webhook has the id
   */
  Webhook rotateSecret(UUID id, boolean keepPrevious);

  /** Removes a webhook; false when none had the id. */
  boolean delete(UUID id);

  /** A new secret: {@code whsec_} and the base64 of {@link #SECRET_BYTES} random bytes. */
  static String newSecret() {
    byte[] key = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }
}
