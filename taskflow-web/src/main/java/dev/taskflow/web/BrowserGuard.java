package dev.taskflow.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boundary between the server and the web pages a browser happens to have open, checked before
 * any route runs (the API, SSE, the WebSocket handshake, the dashboard, {@code /metrics}, {@code
 * /health}):
 *
 * <ol>
 *   <li><b>Host allow-list</b> (DNS rebinding): a request must name this server by a host it
 *       serves: {@code localhost}, a loopback address, the address it is bound to (any IP address
 *       when bound to all interfaces) or a name given in {@link WebConfig#allowedHosts()}. Anything
 *       else is 421 Misdirected Request. A rebinding page can make the browser connect to
 *       127.0.0.1, but the {@code Host} it sends is still the attacker's name.
 *   <li><b>Origin</b> (CSRF, cross-site WebSocket and SSE): a request that carries an {@code
 *       Origin} other than this server's own is refused with 403 before anything runs, a WebSocket
 *       before the upgrade. A state-changing request (any method but GET, HEAD, OPTIONS) that the
 *       browser marks {@code Sec-Fetch-Site: cross-site} or {@code same-site} is refused likewise.
 *   <li><b>Bodies</b> under {@code /api/}: a state-changing request that sends a body sends it as
 *       {@code application/json} with no {@code Content-Encoding} (else 415), so an HTML form or a
 *       {@code text/plain} "simple request" can never reach a route, not even one that reads no
 *       body.
 * </ol>
 *
 * <p>Requests without a {@code Host} header (HTTP/1.0) and without {@code Origin} (every
 * non-browser client) pass the first two checks: no browser sends such a request.
 */
public final class BrowserGuard {
  private static final Logger log = LoggerFactory.getLogger(BrowserGuard.class);
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> API_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
  private static final List<String> METHOD_OVERRIDES =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private final String boundHost;
  private final boolean boundToAll;
  private final Set<String> allowedHosts;
  private final long maxBodyBytes;
  private final ProblemMapper problems;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 60_000);

  /** The guard of a server with {@code config}'s host, allowed hosts and body limit. */
  public BrowserGuard(WebConfig config, ProblemMapper problems) {
    this.boundHost = normalize(config.host());
    this.boundToAll = isWildcard(boundHost);
    this.allowedHosts = config.allowedHosts();
    this.maxBodyBytes = config.maxBodyBytes();
    this.problems = problems;
  }

  /** The {@code before} handler of every HTTP request. */
  public void beforeHttp(Context ctx) {
    Problem refused = check(ctx, true);
    if (refused != null) refuse(ctx, refused);
  }

  /**
   * The handler run before a WebSocket upgrade: a refusal here means no 101, ever. The problem is
   * written to the servlet response itself, which Javalin's upgrade path would otherwise leave
   * empty.
   */
  public void beforeUpgrade(Context ctx) {
    Problem refused = check(ctx, false);
    if (refused == null) return;
    refusals.info("refused WebSocket {} from {}: {}", ctx.path(), ctx.ip(), refused.detail());
    try {
      var res = ctx.res();
      res.setStatus(refused.status());
      res.setContentType(ProblemMapper.CONTENT_TYPE);
      byte[] body = problems.body(ctx, refused);
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
      res.flushBuffer();
    } catch (java.io.IOException e) {
      log.debug("could not write the refusal of a WebSocket handshake: {}", e.toString());
    }
    ctx.skipRemainingHandlers();
  }

  private void refuse(Context ctx, Problem p) {
    refusals.info("refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), p.detail());
    problems.respond(ctx, p);
    ctx.skipRemainingHandlers();
  }

  private Problem check(Context ctx, boolean http) {
    var req = ctx.req();
    for (String header : METHOD_OVERRIDES) {
      if (req.getHeader(header) != null) {
        return Problem.onParameter(
            400,
            "method-override-refused",
            "Method override refused",
            header,
            "method_override",
            header + " is not honoured: send the request with its own method",
            Map.of());
      }
    }
    String host = ctx.header("Host");
    HostPort requested = null;
    if (host != null) {
      requested = HostPort.parse(host);
      if (requested == null || !allowed(requested.host())) return misdirected(host);
    }
    // The authority Jetty routes by: an absolute request target's host when one is given (it
    // overrides Host), else Host, else this socket's address (HTTP/1.0 without Host).
    String server = req.getServerName();
    if (server != null && !allowed(normalize(server))) return misdirected(server);
    List<String> origins = values(req, "Origin");
    if (origins.size() > 1) {
      return forbidden("Origin", "origin_not_allowed", "a request carries one Origin, not several");
    }
    if (!origins.isEmpty() && !sameOrigin(origins.getFirst(), requested)) {
      return forbidden(
          "Origin",
          "origin_not_allowed",
          "requests from the web origin '"
              + ProblemMapper.shorten(origins.getFirst())
              + "' are refused: only pages served by this server may call it from a browser");
    }
    String method = ctx.method().name();
    boolean stateChanging = !SAFE_METHODS.contains(method);
    if (stateChanging) {
      for (String site : tokens(values(req, "Sec-Fetch-Site"))) {
        String s = site.toLowerCase(Locale.ROOT);
        if (!s.equals("same-origin") && !s.equals("none")) {
          return forbidden(
              "Sec-Fetch-Site",
              "cross_site",
              "a "
                  + method
                  + " from another site is refused (Sec-Fetch-Site: "
                  + ProblemMapper.shorten(site)
                  + ")");
        }
      }
    }
    if (!http || !ctx.path().startsWith("/api/")) return null;
    if (!API_METHODS.contains(method)) return ApiRouter.methodNotAllowed(method);
    if (stateChanging && hasBody(ctx)) {
      long declared = req.getContentLengthLong();
      if (declared > maxBodyBytes) return Problem.tooLarge(maxBodyBytes, declared + " bytes");
      List<String> encodings = tokens(values(req, "Content-Encoding"));
      for (String encoding : encodings) {
        if (!encoding.equalsIgnoreCase("identity"))
          return unsupportedEncoding("Content-Encoding", encoding);
      }
      for (String te : tokens(values(req, "Transfer-Encoding"))) {
        if (!te.equalsIgnoreCase("chunked")) return unsupportedEncoding("Transfer-Encoding", te);
      }
      List<String> types = values(req, "Content-Type");
      if (types.size() > 1) return Problem.unsupportedMediaType(String.join(", ", types));
      try {
        RequestBodies.requireJson(types.isEmpty() ? null : types.getFirst());
      } catch (Problem p) {
        return p;
      }
    }
    return null;
  }

  /** Every value of a header, however many times it is given. */
  private static List<String> values(jakarta.servlet.http.HttpServletRequest req, String name) {
    List<String> out = new java.util.ArrayList<>();
    var e = req.getHeaders(name);
    while (e != null && e.hasMoreElements()) out.add(e.nextElement());
    return out;
  }

  /** The comma-separated tokens of header values, trimmed ({@code "a, b"} is two). */
  private static List<String> tokens(List<String> values) {
    List<String> out = new java.util.ArrayList<>();
    for (String v : values) {
      for (String t : v.split(",", -1)) out.add(t.trim());
    }
    return out;
  }

  private static boolean hasBody(Context ctx) {
    return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  /** Whether the server answers to this host name or address (already normalized). */
  boolean allowed(String host) {
    if (host.equals("localhost")) return true;
    if (host.equals(boundHost) || allowedHosts.contains(host)) return true;
    InetAddress ip = ipLiteral(host);
    return ip != null && (boundToAll || ip.isLoopbackAddress() || isMappedLoopback(ip));
  }

  /**
   * Whether {@code origin} is this server's own origin: the same host (as the request's {@code
   * Host} names it) and the same port, where a {@code Host} without a port matches an origin on its
   * scheme's default port (so a TLS proxy in front, whose browser origin is {@code https://name},
   * still matches a {@code Host: name}).
   */
  static boolean sameOrigin(String origin, HostPort requested) {
    if (requested == null) return false;
    URI uri;
    try {
      uri = new URI(origin);
    } catch (Exception e) {
      return false;
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null
        || scheme == null
        || !(scheme.equals("http") || scheme.equals("https")) // browsers send lower case
        || uri.getRawUserInfo() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return false;
    }
    String originHost = normalize(stripBrackets(uri.getHost()));
    if (!originHost.equals(requested.host())) return false;
    if (uri.getPort() < 0) return requested.port() < 0; // default ports (a TLS proxy in front)
    // An explicit port must be the Host's, spelled as a browser spells it (no leading zero). The
    // scheme is not compared: behind a TLS proxy on its own port the origin is https while this
    // server speaks http, and an origin on this host and port can only be this server's.
    String authority = uri.getRawAuthority();
    String port = authority.substring(authority.lastIndexOf(':') + 1);
    return uri.getPort() == requested.port() && !port.startsWith("0");
  }

  private static String stripBrackets(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** Lower case, one trailing dot dropped, brackets of an IPv6 literal dropped. */
  static String normalize(String host) {
    String h = stripBrackets(host.trim()).toLowerCase(Locale.ROOT);
    if (h.endsWith(".") && h.length() > 1) h = h.substring(0, h.length() - 1);
    InetAddress ip = ipLiteral(h);
    return ip == null ? h : ip.getHostAddress(); // one spelling per address (::1, 0:0:0:0:0:0:0:1)
  }

  private static boolean isWildcard(String host) {
    InetAddress ip = ipLiteral(host);
    return ip != null && ip.isAnyLocalAddress();
  }

  private static boolean isMappedLoopback(InetAddress ip) {
    byte[] b = ip.getAddress();
    return b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
  }

  /** The address an IP literal names, or null for a host name (never a DNS lookup). */
  static InetAddress ipLiteral(String h) {
    if (h.isEmpty()) return null;
    if (h.indexOf(':') >= 0) {
      for (int i = 0; i < h.length(); i++) {
        char c = h.charAt(i);
        boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
        if (!ok) return null;
      }
    } else if (!isDottedQuad(h)) {
      return null;
    }
    try {
      return InetAddress.getByName(h); // a literal: parsed, not resolved
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Four decimal octets 0..255 with no leading zeros (so {@code 0177.0.0.1} is not an address). */
  private static boolean isDottedQuad(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return false;
      for (int i = 0; i < p.length(); i++) if (!Character.isDigit(p.charAt(i))) return false;
      if (Integer.parseInt(p) > 255) return false;
    }
    return true;
  }

  private static Problem misdirected(String host) {
    String shown = ProblemMapper.shorten(host);
    String detail =
        "this server does not answer to the host '"
            + shown
            + "': it serves localhost, its loopback and bound addresses, and the names given with"
            + " --allowed-host (TASKFLOW_ALLOWED_HOSTS). If clients reach it by that name (a"
            + " reverse proxy, a DNS name), add it with --allowed-host";
    return Problem.onParameter(
        421,
        "misdirected-request",
        "Misdirected request",
        "Host",
        "host_not_allowed",
        detail,
        Map.of());
  }

  private static Problem forbidden(String header, String code, String detail) {
    return Problem.onParameter(
        403,
        "cross-origin-refused",
        "Cross-origin request refused",
        header,
        code,
        detail,
        Map.of());
  }

  private static Problem unsupportedEncoding(String header, String encoding) {
    String detail =
        header
            + " '"
            + ProblemMapper.shorten(encoding)
            + "' is not accepted: send the body uncompressed";
    return Problem.onParameter(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        header,
        "content_encoding",
        detail,
        Map.of());
  }

  /**
   * A {@code Host} header split into its normalized host and its port (-1 when none is given).
   *
   * @param host lower case, no trailing dot, an IPv6 literal without brackets
   * @param port the port, or -1
   */
  record HostPort(String host, int port) {
    /** Parses {@code name[:port]}, {@code a.b.c.d[:port]} or {@code [v6][:port]}; null if bad. */
    static HostPort parse(String value) {
      String v = value.trim();
      if (v.isEmpty()) return null;
      String host;
      String rest;
      if (v.startsWith("[")) {
        int close = v.indexOf(']');
        if (close < 0) return null;
        host = v.substring(1, close);
        if (ipLiteral(host) == null) return null;
        rest = v.substring(close + 1);
      } else {
        int colon = v.indexOf(':');
        host = colon < 0 ? v : v.substring(0, colon);
        rest = colon < 0 ? "" : v.substring(colon);
        if (!isHostName(host)) return null;
      }
      int port = -1;
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 6) return null;
        for (int i = 1; i < rest.length(); i++) {
          if (!Character.isDigit(rest.charAt(i))) return null;
        }
        port = Integer.parseInt(rest.substring(1));
        if (port > 65535) return null;
      }
      return new HostPort(normalize(host), port);
    }

    /** Letters, digits, hyphens and dots (at most one trailing), no empty label. */
    private static boolean isHostName(String h) {
      String s = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
      if (s.isEmpty() || s.length() > 253) return false;
      for (String label : s.split("\\.", -1)) {
        if (label.isEmpty() || label.length() > 63) return false;
        for (int i = 0; i < label.length(); i++) {
          char c = label.charAt(i);
          boolean ok =
              (c >= 'a' && c <= 'z')
                  || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9')
                  || c == '-'
                  || c == '_';
          if (!ok) return false;
        }
      }
      return true;
    }
  }
}
