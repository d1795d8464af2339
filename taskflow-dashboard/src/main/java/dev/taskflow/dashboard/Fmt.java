package dev.taskflow.dashboard;

import dev.taskflow.JobState;
import dev.taskflow.web.ApiJson;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Formatting helpers the templates call. Everything returns plain text: the templates escape it, so
 * nothing here needs to (and nothing here may return markup).
 */
public final class Fmt {
  /** The web layer's one mapper: numbers show exactly as stored ({@code 1.50} stays so). */
  private static final JsonMapper JSON = ApiJson.mapper();

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter INPUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Pretty JSON above this many characters is cut, so a huge payload cannot stall a page. */
  static final int MAX_JSON_CHARS = 64 * 1024;

  private Fmt() {}

  /** {@code 2026-01-02 10:00:00 UTC}, or an empty string. */
  public static String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  /** The instant as a {@code datetime-local} input value (UTC). */
  public static String inputTime(Instant t) {
    return t == null ? "" : INPUT.format(t);
  }

  /** ISO-8601, for {@code <time datetime>}. */
  public static String iso(Instant t) {
    return t == null ? "" : t.toString();
  }

  /** {@code 3s ago}, {@code 5m ago}, {@code 2h ago}, {@code 4d ago}; {@code in 5m} when ahead. */
  public static String ago(Instant t, Instant now) {
    if (t == null) return "";
    Duration d = Duration.between(t, now);
    return d.isNegative() ? "in " + span(d.negated()) : span(d) + " ago";
  }

  /**
   * A short human span: {@code 850ms}, {@code 42s}, {@code 5m 3s}, {@code 2h 10m}, {@code 3d 4h}.
   */
  public static String span(Duration d) {
    if (d == null) return "";
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) return ms + "ms";
    long s = ms / 1000;
    if (s < 60) return s + "s";
    long m = s / 60;
    if (m < 60) return m + "m " + (s % 60) + "s";
    long h = m / 60;
    if (h < 24) return h + "h " + (m % 60) + "m";
    return (h / 24) + "d " + (h % 24) + "h";
  }

  /** A count with thousands separators: {@code 1,234,567}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A percentage with one decimal: {@code 12.5%}; an em dash when there is nothing to divide. */
  public static String percent(long part, long whole) {
    if (whole <= 0) return "—";
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  /** The CSS class of a state's colour: {@code st-failed}. */
  public static String stateClass(JobState s) {
    return "st-" + s.wireName();
  }

  /** Indented JSON (cut at {@value #MAX_JSON_CHARS} characters); the text itself if not JSON. */
  public static String prettyJson(String json) {
    if (json == null) return "";
    String out;
    try {
      JsonNode node = JSON.readTree(json);
      out = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JacksonException e) {
      out = json;
    }
    return cut(out, MAX_JSON_CHARS);
  }

  /** The args on one line, cut to {@code max} characters, for list rows. */
  public static String oneLine(String text, int max) {
    if (text == null) return "";
    return cut(text.replace('\n', ' ').replace('\r', ' '), max);
  }

  /** The first 8 characters of an id after its time prefix, enough to tell rows apart. */
  public static String shortId(Object id) {
    String s = String.valueOf(id);
    return s.length() == 36 ? s.substring(0, 8) + "…" + s.substring(30) : s;
  }

  /** A {@code job.log} event's data as one line: {@code [attempt 2] message}. */
  public static String logLine(String dataJson) {
    try {
      JsonNode n = JSON.readTree(dataJson);
      String msg = n.path("message").asString(dataJson);
      JsonNode attempt = n.get("attempt");
      return cut(attempt == null ? msg : "[attempt " + attempt.asInt() + "] " + msg, 4000);
    } catch (JacksonException e) {
      return cut(dataJson, 4000);
    }
  }

  /**
   * A value as a URL query parameter (UTF-8, percent-encoded): an owner {@code a&state=deleted#x}
   * or a tag {@code javascript:alert(1)} stays one value of one filter.
   */
  public static String param(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "… (" + (s.length() - max) + " more)";
  }
}
