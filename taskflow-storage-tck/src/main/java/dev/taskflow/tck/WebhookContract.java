package dev.taskflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskflow.Webhook;
import dev.taskflow.spi.WebhookListParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Webhook registrations: saved as given (lists, headers, secrets, times to the millisecond),
 * replaced by id, listed in id order with keyset paging, and deleted.
 */
public interface WebhookContract extends TckSupport {

  private Webhook webhook(UUID id) {
    return new Webhook(
        id,
        "https://hooks.example.com/taskflow?x=1",
        List.of("job.*", "embedding.completed"),
        "emails",
        "email.send",
        "tenant-7",
        Map.of("X-Team", "payments", "Authorization", "Bearer t0k3n"),
        true,
        null,
        List.of("whsec_bmV3", "whsec_b2xk"),
        clock().instant(),
        clock().instant());
  }

  @Test
  default void a_saved_webhook_reads_back_as_it_was_saved() {
    Webhook w = webhook(newId());

    webhookStore().save(w);

    assertThat(webhookStore().get(w.id())).contains(w);
  }

  @Test
  default void an_unknown_webhook_is_absent_and_deleting_it_changes_nothing() {
    assertThat(webhookStore().get(newId())).isEmpty();
    assertThat(webhookStore().delete(newId())).isFalse();
  }

  @Test
  default void saving_again_replaces_the_webhook_with_the_same_id() {
    Webhook w = webhook(newId());
    webhookStore().save(w);
    clock().advance(Duration.ofMinutes(3));

    Webhook changed =
        new Webhook(
            w.id(),
            "https://other.example.com/hook",
            List.of("job.failed"),
            null,
            null,
            null,
            Map.of(),
            false,
            "the receiver answered 410 Gone",
            List.of("whsec_bmV3"),
            w.createdAt(),
            clock().instant());
    webhookStore().save(changed);

    assertThat(webhookStore().get(w.id())).contains(changed);
    assertThat(webhookStore().list(new WebhookListParams(null, 10))).containsExactly(changed);
  }

  @Test
  default void the_list_is_in_id_order_and_pages_after_an_id() {
    List<Webhook> saved = new ArrayList<>();
    for (int i = 0; i < 5; i++) saved.add(webhook(newId()));
    for (Webhook w : saved.reversed()) webhookStore().save(w);

    List<Webhook> first = webhookStore().list(new WebhookListParams(null, 2));
    List<Webhook> rest = webhookStore().list(new WebhookListParams(first.getLast().id(), 10));

    assertThat(first).containsExactlyElementsOf(saved.subList(0, 2));
    assertThat(rest).containsExactlyElementsOf(saved.subList(2, 5));
  }

  @Test
  default void a_deleted_webhook_is_gone() {
    Webhook keep = webhook(newId());
    Webhook drop = webhook(newId());
    webhookStore().save(keep);
    webhookStore().save(drop);

    assertThat(webhookStore().delete(drop.id())).isTrue();

    assertThat(webhookStore().get(drop.id())).isEmpty();
    assertThat(webhookStore().list(new WebhookListParams(null, 10))).containsExactly(keep);
  }
}
