package dev.taskflow.webhooks.verify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies (and, for TaskFlow itself, makes) Standard Webhooks v1 signatures: {@code
 * webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed by the secret's bytes
 * ({@code whsec_<base64>}). For receivers written in Java, in the artifact {@code
 * dev.taskflow:taskflow-webhook-verifier}, which needs nothing but the JDK; see {@code
 * docs/webhooks.md} for other languages. TaskFlow's own deliveries sign with {@link #sign}.
 *
 * <p>{@link #verify} accepts a message only when one of its signatures matches (compared in
 * constant time), its timestamp is within the tolerance (5 minutes by default) of this machine's
 * clock, and its {@code webhook-id} has not been accepted before within that window (replays are
 * refused). Verify the raw bytes as received, never re-serialised JSON.
 *
 * {@snippet :
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("TASKFLOW_WEBHOOK_SECRET"));
 * // in the HTTP handler, with the raw body bytes:
 * verifier.verify(req.header("webhook-id"), req.header("webhook-timestamp"),
 *     req.header("webhook-signature"), body); // throws WebhookVerifier.Invalid
 * }
 *
 * <p>Thread-safe. Keep one instance per endpoint so that its replay memory is shared.
 */
public final class WebhookVerifier {
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  private static final String PREFIX = "whsec_";

  private final List<byte[]> keys;
  private final Duration tolerance;
  private final Clock clock;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();

  /** A verifier for one or more secrets (during a rotation, accept both). */
  public WebhookVerifier(String... secrets) {
    this(List.of(secrets), DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  public WebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
    if (secrets == null || secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook secret is required");
    }
    List<byte[]> k = new ArrayList<>();
    for (String s : secrets) k.add(key(s));
    this.keys = List.copyOf(k);
    if (tolerance == null || tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must be zero or positive, was " + tolerance);
    }
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /** Why a message was refused. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Accepts the message or throws why not.
   *
   * @param id the {@code webhook-id} header
   * @param timestamp the {@code webhook-timestamp} header (Unix seconds)
   * @param signatureHeader the {@code webhook-signature} header ({@code v1,<sig>}, space-separated)
   * @param body the raw request body
   */
  public void verify(String id, String timestamp, String signatureHeader, byte[] body)
      throws Invalid {
    if (id == null || id.isEmpty() || timestamp == null || signatureHeader == null) {
      throw new Invalid("missing webhook-id, webhook-timestamp or webhook-signature header");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Invalid("webhook-timestamp is not Unix seconds: '" + shorten(timestamp) + "'");
    }
    Instant now = clock.instant();
    long skew = Math.abs(now.getEpochSecond() - ts);
    if (skew > tolerance.toSeconds()) {
      throw new Invalid(
          "webhook-timestamp "
              + ts
              + " is "
              + skew
              + " s away from now; the tolerance is "
              + tolerance.toSeconds()
              + " s");
    }
    boolean ok = false;
    for (byte[] key : keys) {
      byte[] expected = hmac(key, id, ts, body);
      for (String part : signatureHeader.trim().split(" +")) {
        int comma = part.indexOf(',');
        if (comma < 0 || !part.substring(0, comma).equals("v1")) continue;
        byte[] given;
        try {
          given = Base64.getDecoder().decode(part.substring(comma + 1));
        } catch (IllegalArgumentException e) {
          continue;
        }
        ok |= MessageDigest.isEqual(expected, given);
      }
    }
    if (!ok) throw new Invalid("no v1 signature matches for webhook-id " + shorten(id));
    forgetOld(now);
    if (seen.putIfAbsent(id, now.plus(tolerance).plus(tolerance)) != null) {
      throw new Invalid("webhook-id " + shorten(id) + " was accepted already (a replay)");
    }
  }

  /** The {@code webhook-signature} header value for a message: one {@code v1,…} per secret. */
  public static String sign(List<String> secrets, String id, long timestamp, byte[] body) {
    List<String> parts = new ArrayList<>();
    for (String s : secrets) {
      parts.add("v1," + Base64.getEncoder().encodeToString(hmac(key(s), id, timestamp, body)));
    }
    return String.join(" ", parts);
  }

  private void forgetOld(Instant now) {
    for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(now)) it.remove();
    }
  }

  private static byte[] key(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("webhook secret must not be blank");
    }
    String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("webhook secret must be whsec_ followed by base64", e);
    }
  }

  private static byte[] hmac(byte[] key, String id, long ts, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
    }
  }

  private static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
