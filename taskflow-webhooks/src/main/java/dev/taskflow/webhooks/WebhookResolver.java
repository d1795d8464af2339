package dev.taskflow.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a webhook URL's host to all its addresses for the SSRF guard ({@link
 * WebhookPolicy#resolver()}), which judges every one and pins the delivery's connection to them.
 * {@link #SYSTEM} (the JDK's resolver) outside tests; a test can map names to addresses without
 * real DNS, e.g. to prove that a name rebound to {@code 127.0.0.1} is refused.
 *
 * {@snippet :
 * WebhookResolver fake = host -> switch (host) {
 *   case "rebind.test" -> List.of(InetAddress.getByName("127.0.0.1"));
 *   default -> throw new UnknownHostException(host);
 * };
 * WebhookPolicy policy = WebhookPolicy.defaults().withResolver(fake);
 * }
 */
@FunctionalInterface
public interface WebhookResolver {
  /** The JDK's resolver ({@link InetAddress#getAllByName}). */
  WebhookResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * Every address of the host (an IP literal resolves to itself).
   *
   * @throws UnknownHostException when the name does not resolve (an empty list means the same)
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
