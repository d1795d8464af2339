package dev.taskflow.webhooks.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The receiver's side of a signed webhook, with the JDK alone: the Standard Webhooks test vector,
 * and each reason a message is refused.
 */
class WebhookVerifierTest {
  // The test vector published with the Standard Webhooks specification (and Svix's libraries).
  private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330;
  private static final String VECTOR_BODY = "{\"test\": 2432232314}";
  private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final byte[] BODY = VECTOR_BODY.getBytes(StandardCharsets.UTF_8);
  private static final Clock THEN =
      Clock.fixed(Instant.ofEpochSecond(VECTOR_TIMESTAMP), ZoneOffset.UTC);

  private static WebhookVerifier verifier(String... secrets) {
    return new WebhookVerifier(List.of(secrets), WebhookVerifier.DEFAULT_TOLERANCE, THEN);
  }

  @Test
  void signing_reproduces_the_standard_webhooks_test_vector() throws Exception {
    // The spec's scheme, computed here without the production code.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(VECTOR_SECRET.substring("whsec_".length())), "HmacSHA256"));
    byte[] digest =
        mac.doFinal(
            (VECTOR_ID + "." + VECTOR_TIMESTAMP + "." + VECTOR_BODY)
                .getBytes(StandardCharsets.UTF_8));
    assertThat("v1," + Base64.getEncoder().encodeToString(digest)).isEqualTo(VECTOR_SIGNATURE);

    assertThat(WebhookVerifier.sign(List.of(VECTOR_SECRET), VECTOR_ID, VECTOR_TIMESTAMP, BODY))
        .isEqualTo(VECTOR_SIGNATURE);
    verifier(VECTOR_SECRET)
        .verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, BODY);
    assertThatThrownBy(
            () ->
                verifier(VECTOR_SECRET)
                    .verify(
                        VECTOR_ID,
                        Long.toString(VECTOR_TIMESTAMP),
                        VECTOR_SIGNATURE,
                        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WebhookVerifier.Invalid.class);
  }

  @Test
  void a_message_accepted_once_is_refused_as_a_replay() throws Exception {
    WebhookVerifier v = verifier(VECTOR_SECRET);
    v.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, BODY);

    assertThatThrownBy(
            () -> v.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, BODY))
        .isInstanceOf(WebhookVerifier.Invalid.class)
        .hasMessageContaining("replay");
  }

  @Test
  void a_timestamp_outside_the_tolerance_is_refused_even_with_a_good_signature() {
    WebhookVerifier late =
        new WebhookVerifier(
            List.of(VECTOR_SECRET),
            Duration.ofMinutes(5),
            Clock.offset(THEN, Duration.ofMinutes(5).plusSeconds(1)));

    assertThatThrownBy(
            () -> late.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, BODY))
        .isInstanceOf(WebhookVerifier.Invalid.class)
        .hasMessageContaining("301 s away from now");
  }

  @Test
  void during_a_rotation_a_message_signed_with_either_secret_is_accepted() throws Exception {
    String next = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
    String both =
        WebhookVerifier.sign(List.of(next, VECTOR_SECRET), "msg_a", VECTOR_TIMESTAMP, BODY);
    String onlyNext = WebhookVerifier.sign(List.of(next), "msg_b", VECTOR_TIMESTAMP, BODY);

    assertThat(both.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
    WebhookVerifier old = verifier(VECTOR_SECRET);
    old.verify("msg_a", Long.toString(VECTOR_TIMESTAMP), both, BODY);
    assertThatThrownBy(() -> old.verify("msg_b", Long.toString(VECTOR_TIMESTAMP), onlyNext, BODY))
        .isInstanceOf(WebhookVerifier.Invalid.class)
        .hasMessageContaining("no v1 signature matches");
    verifier(VECTOR_SECRET, next).verify("msg_b", Long.toString(VECTOR_TIMESTAMP), onlyNext, BODY);
  }

  @Test
  void missing_headers_a_timestamp_that_is_not_a_number_and_a_bad_secret_are_refused() {
    WebhookVerifier v = verifier(VECTOR_SECRET);

    assertThatThrownBy(() -> v.verify(null, "1", VECTOR_SIGNATURE, BODY))
        .isInstanceOf(WebhookVerifier.Invalid.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> v.verify(VECTOR_ID, "yesterday", VECTOR_SIGNATURE, BODY))
        .isInstanceOf(WebhookVerifier.Invalid.class)
        .hasMessageContaining("not Unix seconds");
    assertThatThrownBy(() -> new WebhookVerifier("whsec_not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsec_");
  }
}
