package dev.taskflow.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard of webhook URLs under one {@link WebhookPolicy}, applied when a webhook is
 * registered or changed and again before every delivery (DNS may have changed). It parses the URL,
 * resolves every address of its host and refuses the URL when any address is not a public unicast
 * one; a delivery then connects only to the addresses checked here (see {@link WebhookSender}), so
 * a DNS answer that changes in between cannot redirect it.
 *
 * <p>Each rule has its own code, reported as the {@code errors[].code} of a 422.
 */
final class WebhookUrlGuard {
  static final int MAX_URL_LENGTH = 2048;

  private final boolean allowHttp;
  private final boolean allowPrivate;
  private final WebhookResolver resolver;

  /** A URL that passed: its parts and the addresses a delivery may connect to. */
  record Checked(URI uri, String host, int port, List<InetAddress> addresses) {}

  /** A refused URL: the rule it broke ({@code code}) and a sentence naming the value. */
  static final class Refused extends RuntimeException {
    private final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  /** The guard of one {@link WebhookPolicy}: registration and delivery share one instance. */
  WebhookUrlGuard(WebhookPolicy policy) {
    this.allowHttp = policy.allowHttp();
    this.allowPrivate = policy.allowPrivateTargets();
    this.resolver = policy.resolver();
  }

  /** Checks the URL's form only (no DNS): scheme, userinfo, host, length. */
  URI checkForm(String url) {
    if (url == null || url.isBlank()) throw new Refused("required", "url is required");
    if (url.length() > MAX_URL_LENGTH) {
      throw new Refused(
          "url_too_long", "url is " + url.length() + " characters; the limit is " + MAX_URL_LENGTH);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("malformed_url", "url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new Refused("malformed_url", "url must be an absolute https:// URL");
    }
    if (scheme.equals("http") && !allowHttp) {
      throw new Refused(
          "https_required",
          "url must use https; plain http is allowed only when the server enables it"
              + " (WebhookPolicy.allowHttp, --allow-http-webhooks)");
    }
    String authority = uri.getRawAuthority(); // null for https:///x
    if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
      throw new Refused(
          "userinfo_not_allowed", "url must not carry a user name or password before the host");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("malformed_url", "url has no host name");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new Refused("malformed_url", "url port must be 1..65535, was " + uri.getPort());
    }
    if (uri.getRawFragment() != null) {
      throw new Refused("malformed_url", "url must not have a #fragment");
    }
    if (hasLeadingZeroOctet(uri.getHost())) {
      // 0177.0.0.1 is 177.0.0.1 to Java but 127.0.0.1 (octal) to many other resolvers
      throw new Refused(
          "malformed_url",
          "url host '"
              + uri.getHost()
              + "' is an IPv4 address with a leading zero, which resolvers read differently"
              + " (octal or decimal)");
    }
    return uri;
  }

  /** Whether the host is a dotted-quad with an octet such as {@code 0177} or {@code 00}. */
  static boolean hasLeadingZeroOctet(String host) {
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4) return false;
    boolean leadingZero = false;
    for (String o : octets) {
      if (o.isEmpty() || !o.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
      if (o.length() > 1 && o.charAt(0) == '0') leadingZero = true;
    }
    return leadingZero;
  }

  /** Checks the form, resolves the host and checks every address. */
  Checked check(String url) {
    URI uri = checkForm(url);
    String host = uri.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    // localhost. and x.internal. are the same names as without the final dot
    String lower =
        (bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare).toLowerCase(Locale.ROOT);
    if (!allowPrivate
        && (lower.equals("localhost")
            || lower.endsWith(".localhost")
            || lower.endsWith(".local")
            || lower.endsWith(".internal"))) {
      throw new Refused(
          "private_host_name", "url host '" + bare + "' names a local or internal host");
    }
    List<InetAddress> all;
    try {
      all = resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new Refused("unresolvable_host", "url host '" + bare + "' does not resolve");
    }
    if (all == null || all.isEmpty()) {
      throw new Refused("unresolvable_host", "url host '" + bare + "' has no address");
    }
    if (!allowPrivate && bare.contains(":")) {
      for (InetAddress a : all) {
        // the JDK turns ::ffff:a.b.c.d into an IPv4 address: refuse the form itself
        if (a instanceof Inet4Address) {
          throw new Refused(
              "ipv4_mapped_address",
              "url host '"
                  + bare
                  + "' is an IPv4-mapped IPv6 address ("
                  + a.getHostAddress()
                  + ")");
        }
      }
    }
    if (!allowPrivate) {
      for (InetAddress a : all) {
        String rule = forbidden(a);
        if (rule != null) {
          throw new Refused(
              rule,
              "url host '"
                  + bare
                  + "' resolves to "
                  + a.getHostAddress()
                  + ", a "
                  + rule.replace("_address", "").replace('_', ' ')
                  + " address; webhooks go to public addresses only unless the server allows"
                  + " private targets (WebhookPolicy.allowPrivateTargets,"
                  + " --allow-private-webhook-targets)");
        }
      }
    }
    int port =
        uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return new Checked(uri, bare, port, List.copyOf(all));
  }

  /** The rule an address breaks, or null for a public unicast address. */
  static String forbidden(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      if (isMappedV4(b)) return "ipv4_mapped_address";
      if (a.isAnyLocalAddress()) return "unspecified_address";
      if (a.isLoopbackAddress()) return "loopback_address";
      if (a.isLinkLocalAddress()) return "link_local_address";
      if (a.isMulticastAddress()) return "multicast_address";
      if ((b[0] & 0xfe) == 0xfc) return "unique_local_address"; // fc00::/7
      if (a.isSiteLocalAddress()) return "private_address"; // fec0::/10, deprecated
      if (prefix(b, 0x00, 0x64, 0xff, 0x9b)) return "nat64_address"; // 64:ff9b::/96 and /48
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) return "6to4_address"; // 2002::/16
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
        return "reserved_address"; // 2001::/32 Teredo
      }
      if ((b[0] & 0xff) == 0x20
          && (b[1] & 0xff) == 0x01
          && (b[2] & 0xff) == 0x0d
          && (b[3] & 0xff) == 0xb8) {
        return "reserved_address"; // 2001:db8::/32 documentation
      }
      if (isCompatV4(b)) return "ipv4_mapped_address"; // ::a.b.c.d (deprecated form)
      if ((b[0] & 0xe0) != 0x20) return "reserved_address"; // outside 2000::/3 global unicast
      return null;
    }
    if (!(a instanceof Inet4Address)) return "reserved_address";
    int o0 = b[0] & 0xff;
    int o1 = b[1] & 0xff;
    int o2 = b[2] & 0xff;
    if (o0 == 0) return "unspecified_address"; // 0.0.0.0/8
    if (o0 == 127) return "loopback_address";
    if (o0 == 10 || (o0 == 172 && (o1 & 0xf0) == 16) || (o0 == 192 && o1 == 168)) {
      return "private_address";
    }
    if (o0 == 169 && o1 == 254) return "link_local_address"; // cloud metadata lives here
    if (o0 == 100 && (o1 & 0xc0) == 64) return "cgnat_address"; // 100.64.0.0/10
    if (o0 >= 224 && o0 <= 239) return "multicast_address";
    if (o0 >= 240) return "reserved_address"; // 240/4 and the broadcast address
    if (o0 == 192 && o1 == 0 && o2 == 0) return "reserved_address"; // IETF protocol assignments
    if (o0 == 192 && o1 == 0 && o2 == 2) return "reserved_address"; // TEST-NET-1
    if (o0 == 198 && (o1 == 18 || o1 == 19)) return "reserved_address"; // benchmarking
    if (o0 == 198 && o1 == 51 && o2 == 100) return "reserved_address"; // TEST-NET-2
    if (o0 == 203 && o1 == 0 && o2 == 113) return "reserved_address"; // TEST-NET-3
    if (o0 == 192 && o1 == 88 && o2 == 99) return "reserved_address"; // 6to4 relay anycast
    return null;
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  private static boolean isCompatV4(byte[] b) {
    for (int i = 0; i < 12; i++) if (b[i] != 0) return false;
    return true;
  }

  private static boolean prefix(byte[] b, int... bytes) {
    for (int i = 0; i < bytes.length; i++) if ((b[i] & 0xff) != bytes[i]) return false;
    return true;
  }
}
