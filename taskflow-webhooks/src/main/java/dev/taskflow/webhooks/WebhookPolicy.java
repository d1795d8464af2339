package dev.taskflow.webhooks;

import java.util.Objects;

/**
 * Which webhook URLs TaskFlow accepts: one policy, owned by {@link WebhookDelivery}, applied by its
 * SSRF guard ({@link WebhookUrlGuard}) both when a webhook is registered or changed over the API
 * and before every delivery, so the two can never disagree. A webhook stored under a looser policy
 * (an earlier server's, or written straight to the store) is refused at delivery.
 *
 * {@snippet :
 * WebhookPolicy policy = WebhookPolicy.defaults().withAllowHttp(true); // a closed network
 * WebhookDelivery webhooks = new WebhookDelivery(policy);
 * }
 *
 * @param allowHttp accept plain {@code http://} URLs (off by default: https only)
 * @param allowPrivateTargets accept URLs whose host is loopback, private, link-local or otherwise
 *     not a public unicast address (off by default; for tests and closed networks)
 * @param resolver resolves a URL's host to every address the guard judges and a delivery connects
 *     to ({@link WebhookResolver#SYSTEM} by default)
 */
public record WebhookPolicy(
    boolean allowHttp, boolean allowPrivateTargets, WebhookResolver resolver) {
  public WebhookPolicy {
    Objects.requireNonNull(resolver, "resolver");
  }

  /** https only, public targets only, the system resolver. */
  public static WebhookPolicy defaults() {
    return new WebhookPolicy(false, false, WebhookResolver.SYSTEM);
  }

  public WebhookPolicy withAllowHttp(boolean allow) {
    return new WebhookPolicy(allow, allowPrivateTargets, resolver);
  }

  public WebhookPolicy withAllowPrivateTargets(boolean allow) {
    return new WebhookPolicy(allowHttp, allow, resolver);
  }

  /** How the guard resolves host names (a test maps names to addresses without real DNS). */
  public WebhookPolicy withResolver(WebhookResolver r) {
    return new WebhookPolicy(allowHttp, allowPrivateTargets, r);
  }
}
