package dev.taskflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A registered webhook: where matching job events are delivered, signed per Standard Webhooks.
 *
 * <p>The HTTP API ({@code /api/v1/webhooks}) validates and delivers; this record is what the store
 * keeps. Secrets never leave the server except once, in the answer that created or rotated them.
 *
 * @param id the webhook's id
 * @param url where events are POSTed ({@code https://…})
 * @param events event types; a trailing {@code *} matches a prefix ({@code job.*})
 * @param queue only events of jobs on this queue, or null for any
 * @param jobType only events of jobs of this type, or null for any
 * @param owner only events of jobs of this owner, or null for any
 * @param headers extra request headers sent with every delivery
 * @param active false: nothing is delivered (set by a user, or by a {@code 410 Gone})
 * @param disabledReason why it was switched off automatically, or null
 * @param secrets the signing secrets ({@code whsec_…}), newest first; more than one during a
 *     rotation, and deliveries are then signed with each
 * @param createdAt when it was registered (store clock)
 * @param updatedAt when it last changed (store clock)
 */
public record Webhook(
    UUID id,
    String url,
    List<String> events,
    String queue,
    String jobType,
    String owner,
    Map<String, String> headers,
    boolean active,
    String disabledReason,
    List<String> secrets,
    Instant createdAt,
    Instant updatedAt) {

  public Webhook {
    events = events == null ? List.of() : List.copyOf(events);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** Whether this webhook wants the event: its patterns and filters, active or not. */
  public boolean matches(JobEvent e) {
    if (queue != null && !queue.equals(e.queue())) return false;
    if (jobType != null && !jobType.equals(e.jobType())) return false;
    if (owner != null && !owner.equals(e.owner())) return false;
    for (String p : events) {
      if (p.endsWith("*")
          ? e.type().startsWith(p.substring(0, p.length() - 1))
          : p.equals(e.type())) return true;
    }
    return false;
  }
}
