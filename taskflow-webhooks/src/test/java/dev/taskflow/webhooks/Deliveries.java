package dev.taskflow.webhooks;

import dev.taskflow.TaskFlowBuilder;

/** Webhook delivery for the tests: a plugin on a builder, kept to close and to mount on the web. */
final class Deliveries {
  private Deliveries() {}

  static WebhookDelivery installed(TaskFlowBuilder b, WebhookDelivery.Options options) {
    WebhookDelivery d = new WebhookDelivery(options);
    b.plugin(d);
    return d;
  }
}
