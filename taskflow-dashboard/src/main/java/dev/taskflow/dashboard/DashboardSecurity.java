package dev.taskflow.dashboard;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The dashboard's browser-side defences, in one place.
 *
 * <ul>
 *   <li>Every response carries a strict Content-Security-Policy (scripts and styles only from this
 *       origin, no inline code, no framing) and the usual hardening headers.
 *   <li>Every state change is a {@code POST} that must pass three checks: the dashboard is not
 *       read-only; the browser says the request is same-origin ({@code Sec-Fetch-Site}, or {@code
 *       Origin} for browsers without fetch metadata); and it carries the session's CSRF token (a
 *       {@code SameSite=Strict} cookie, echoed in a hidden form field or the {@code X-CSRF-Token}
 *       header). A request failing any check is refused with 403 and changes nothing.
 * </ul>
 */
final class DashboardSecurity {
  static final String COOKIE = "taskflow_csrf";
  static final String FIELD = "_csrf";
  static final String HEADER = "X-CSRF-Token";

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
          + " base-uri 'none'";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final boolean readOnly;
  private final String cookiePath;

  DashboardSecurity(boolean readOnly, String basePath) {
    this.readOnly = readOnly;
    this.cookiePath = basePath.isEmpty() ? "/" : basePath;
  }

  boolean readOnly() {
    return readOnly;
  }

  /** Adds the security headers to a dashboard response. */
  void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
  }

  /**
   * The session's CSRF token, minted (and set as a cookie) on the first page a browser loads.
   * Read-only dashboards need none.
   */
  String token(Context ctx) {
    if (readOnly) return "";
    String t = ctx.cookie(COOKIE);
    if (t != null && wellFormed(t)) return t;
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    ctx.res()
        .addHeader(
            "Set-Cookie",
            COOKIE + "=" + t + "; Path=" + cookiePath + "; HttpOnly; SameSite=Strict");
    return t;
  }

  /**
   * Refuses a state change that is not allowed.
   *
   * @return null when allowed, else why not (the 403's message)
   */
  String refusal(Context ctx) {
    if (readOnly) return "this dashboard is read-only";
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null) {
      if (!site.toLowerCase(Locale.ROOT).equals("same-origin")) {
        return "cross-site request refused (Sec-Fetch-Site: " + site + ")";
      }
    } else {
      String origin = ctx.header("Origin");
      if (origin != null && !origin.equals(expectedOrigin(ctx))) {
        return "cross-origin request refused (Origin: " + origin + ")";
      }
    }
    String cookie = ctx.cookie(COOKIE);
    if (cookie == null || !wellFormed(cookie)) {
      return "no CSRF cookie: reload the page and try again";
    }
    String sent = ctx.header(HEADER);
    if (sent == null) sent = formToken(ctx);
    if (sent == null || !MessageDigest.isEqual(bytes(sent), bytes(cookie))) {
      return "missing or wrong CSRF token: reload the page and try again";
    }
    return null;
  }

  private static String formToken(Context ctx) {
    String ct = ctx.contentType();
    if (ct == null || !ct.startsWith("application/x-www-form-urlencoded")) return null;
    return ctx.formParam(FIELD);
  }

  private static String expectedOrigin(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }

  private static boolean wellFormed(String t) {
    if (t.length() != 43) return false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) return false;
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
