package dev.taskflow;

import java.util.UUID;

/** No webhook has that id. HTTP 404. */
public class WebhookNotFoundException extends TaskFlowException {
  private final UUID webhookId;

  public WebhookNotFoundException(UUID webhookId) {
    super("no webhook with id " + webhookId);
    this.webhookId = webhookId;
  }

  public UUID webhookId() {
    return webhookId;
  }
}
